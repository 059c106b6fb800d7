export * from './centroids.ts';
export * from './cvt-archive.ts';
