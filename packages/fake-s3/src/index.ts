export { startFakeS3, FAKE_S3_ACCESS_KEY_ID } from './start-fake-s3.js';
export type { FakeS3, FakeS3Options } from './start-fake-s3.js';
export { startFaultProxy } from './fault-proxy.js';
export type { FaultProxy } from './fault-proxy.js';
export { FaultQueue, operationOf, errorBody } from './s3-faults.js';
export type { S3Fault, S3Operation } from './s3-faults.js';
export { createProxyStats, totalRequests } from './proxy-stats.js';
export type { ProxyStats } from './proxy-stats.js';
