// A module that loads the SDK statically: lazy-sdk.test.ts checks that its walk sees this.
export { S3Client } from '@aws-sdk/client-s3';
