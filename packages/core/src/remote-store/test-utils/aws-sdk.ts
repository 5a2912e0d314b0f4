// The SDK as core resolves it, for benches at the workspace root that compare pixlock with
// the SDK used directly (the root has no dependency on it of its own).
export * from '@aws-sdk/client-s3';
