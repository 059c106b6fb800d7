import { z } from 'zod';
import { CIFAR100_BYTES, CIFAR100_DIR, CIFAR100_MD5, CIFAR100_URL, CIFAR10_BYTES, CIFAR10_DIR, CIFAR10_MD5, CIFAR10_URL } from './cifar.ts';
import { FASHION_MNIST_BASE_URL, FASHION_MNIST_FILES } from './fashion-mnist.ts';
import { IMAGENETTE_160_DIR, IMAGENETTE_160_MD5, IMAGENETTE_160_URL } from './imagenette.ts';

/** Datasets ensureDataset knows how to fetch. */
export const DatasetNameSchema = z.enum(['fashion-mnist', 'cifar10', 'cifar100', 'imagenette-160']);
/** Datasets ensureDataset knows how to fetch. */
export type DatasetName = z.infer<typeof DatasetNameSchema>;

/** One downloadable file and what it must hash to. */
export const RemoteFileSchema = z.object({
  url: z.string().url(),
  /** Name it is stored under in the cache folder. */
  fileName: z.string().regex(/^[\w.-]+$/, 'a plain file name'),
  /** Expected MD5 (hex), the checksum the publishers give. */
  md5: z.string().regex(/^[0-9a-f]{32}$/),
  /** Expected size in bytes, when known. */
  bytes: z.number().int().positive().optional(),
});
/** One downloadable file and what it must hash to. */
export type RemoteFile = z.infer<typeof RemoteFileSchema>;

/** Where a dataset comes from and how it is laid out once cached. */
export const DatasetSourceSchema = z.object({
  files: z.array(RemoteFileSchema).min(1),
  /** Unpack the files (tar/tar.gz archives) after download, deleting the archives unless asked to keep them. */
  extract: z.boolean(),
  /** Folder, relative to the dataset's cache folder, to hand to the loader ('.' = the folder itself). */
  root: z.string().refine((r) => !r.startsWith('/') && !r.split(/[\\/]/).includes('..'), 'a relative path inside the cache folder'),
});
/** Where a dataset comes from and how it is laid out once cached. */
export type DatasetSource = z.infer<typeof DatasetSourceSchema>;

const fashion = Object.values(FASHION_MNIST_FILES).map((f) => ({
  url: `${FASHION_MNIST_BASE_URL}${f.file}`, fileName: f.file, md5: f.md5, bytes: f.bytes,
}));

/** The official sources: URLs, MD5s and sizes as the dataset authors publish them. */
export const DATASET_SOURCES: Record<DatasetName, DatasetSource> = {
  'fashion-mnist': { files: fashion, extract: false, root: '.' },
  cifar10: {
    files: [{ url: CIFAR10_URL, fileName: 'cifar-10-binary.tar.gz', md5: CIFAR10_MD5, bytes: CIFAR10_BYTES }],
    extract: true,
    root: CIFAR10_DIR,
  },
  cifar100: {
    files: [{ url: CIFAR100_URL, fileName: 'cifar-100-binary.tar.gz', md5: CIFAR100_MD5, bytes: CIFAR100_BYTES }],
    extract: true,
    root: CIFAR100_DIR,
  },
  'imagenette-160': {
    files: [{ url: IMAGENETTE_160_URL, fileName: 'imagenette2-160.tgz', md5: IMAGENETTE_160_MD5 }],
    extract: true,
    root: IMAGENETTE_160_DIR,
  },
};
