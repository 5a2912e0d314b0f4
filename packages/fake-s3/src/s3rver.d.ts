// s3rver ships no types; this declares the part pixlock's fake uses.
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string }[];
  }

  class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    readonly httpServer: Server;
    readonly store: {
      /** Where a key's `object`, `object.md5` or `metadata.json` file lives. */
      getResourcePath(bucket: string, key: string, resource: string): string;
    };
  }
  export = S3rver;
}

declare module 's3rver/lib/models/account.js' {
  const S3Account: {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
  };
  export = S3Account;
}
