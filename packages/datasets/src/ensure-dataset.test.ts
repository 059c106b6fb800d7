import { access, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashBytes } from './checksum.ts';
import { CIFAR10_MD5, loadCifar10 } from './cifar.ts';
import { DATASET_SOURCES, type DatasetSource } from './dataset-sources.ts';
import { ensureDataset, type FetchLike } from './ensure-dataset.ts';
import { ChecksumMismatchError, DownloadError } from './errors.ts';
import { FASHION_MNIST_FILES, loadFashionMnist } from './fashion-mnist.ts';
import { encodeIdx } from './idx.ts';
import { loadImagenette } from './imagenette.ts';
import { makeTar, miniCifar10Entries, miniImagenetteEntries, serveFiles, tempDir } from './test-fixtures.ts';

const exists = (path: string) => access(path).then(() => true, () => false);

describe('ensureDataset', () => {
  let server: Awaited<ReturnType<typeof serveFiles>>;
  let cifarTar: Buffer;
  let evil: Buffer;
  let links: Buffer;
  let cacheDir: string;
  let cleanup: () => Promise<void>;
  const fetched: string[] = [];
  // Only ever the local server: a request anywhere else fails the test.
  const localFetch: FetchLike = (url, init) => {
    if (new URL(url).hostname !== '127.0.0.1') throw new Error(`test tried to reach ${url}`);
    fetched.push(url);
    return fetch(url, init);
  };
  const cifarSource = (over: Partial<DatasetSource['files'][number]> = {}): DatasetSource => ({
    ...DATASET_SOURCES.cifar10,
    files: [{ url: server.url('/cifar-10-binary.tar.gz'), fileName: 'cifar-10-binary.tar.gz', md5: hashBytes(cifarTar, 'md5'), bytes: cifarTar.length, ...over }],
  });

  beforeAll(async () => {
    cifarTar = await makeTar(miniCifar10Entries(2));
    evil = await makeTar([{ name: 'ok/a.txt', content: 'a' }, { name: '../escaped.txt', content: 'x' }]);
    links = await makeTar([{ name: 'data/link', type: 'symlink', linkname: '/etc/passwd' }, { name: 'data/real.txt', content: 'r' }]);
    const fashion: Record<string, Uint8Array> = {
      '/fm/train-images-idx3-ubyte.gz': gzipSync(encodeIdx([3, 28, 28], new Uint8Array(3 * 784).fill(9))),
      '/fm/train-labels-idx1-ubyte.gz': gzipSync(encodeIdx([3], Uint8Array.of(1, 2, 3))),
      '/fm/t10k-images-idx3-ubyte.gz': gzipSync(encodeIdx([1, 28, 28], new Uint8Array(784))),
      '/fm/t10k-labels-idx1-ubyte.gz': gzipSync(encodeIdx([1], Uint8Array.of(7))),
    };
    server = await serveFiles({
      '/cifar-10-binary.tar.gz': cifarTar,
      '/imagenette2-160.tgz': await makeTar(miniImagenetteEntries({ train: 1, val: 1 })),
      '/evil.tar.gz': evil,
      '/links.tar.gz': links,
      '/unavailable': (res) => res.writeHead(503).end(),
      '/cut': (res) => {
        res.writeHead(200, { 'content-length': '100000' });
        res.write(Buffer.alloc(1000, 7), () => res.socket?.destroy());
      },
      ...fashion,
    });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    fetched.length = 0;
    ({ dir: cacheDir, cleanup } = await tempDir());
    return cleanup;
  });

  it('downloads, verifies, extracts, and then reuses the cache without fetching', async () => {
    const first = await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: cifarSource() });
    expect(first).toMatchObject({ fromCache: false, downloaded: ['cifar-10-binary.tar.gz'], dir: join(cacheDir, 'cifar10', 'cifar-10-batches-bin') });
    expect(fetched).toHaveLength(1);
    expect(await exists(join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz'))).toBe(false); // archive dropped after unpacking
    const ds = await loadCifar10(first.dir);
    expect(ds.train.count).toBe(10);
    const second = await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: cifarSource() });
    expect(second).toMatchObject({ fromCache: true, downloaded: [], dir: first.dir });
    expect(fetched).toHaveLength(1);
  });

  it('rebuilds a cache whose extracted folder vanished, and reuses a kept archive', async () => {
    const opts = { name: 'cifar10' as const, cacheDir, fetch: localFetch, source: cifarSource(), keepArchive: true };
    const first = await ensureDataset(opts);
    await rm(first.dir, { recursive: true });
    const again = await ensureDataset(opts);
    expect(again.fromCache).toBe(false);
    expect(again.downloaded).toEqual([]); // the kept archive still had the right MD5
    expect(fetched).toHaveLength(1);
    expect((await loadCifar10(again.dir)).test.count).toBe(2);
  });

  it('deletes a download whose MD5 is wrong and leaves no cache behind', async () => {
    const err = await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: cifarSource({ md5: CIFAR10_MD5, bytes: undefined }) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumMismatchError);
    expect((err as ChecksumMismatchError).algorithm).toBe('md5');
    expect((err as ChecksumMismatchError).expected).toBe(CIFAR10_MD5);
    expect(await readdir(join(cacheDir, 'cifar10'))).toEqual([]);
    // The next call with the right checksum starts clean and succeeds.
    expect((await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: cifarSource() })).fromCache).toBe(false);
  });

  it('rejects a download of the wrong size against the official source sizes', async () => {
    const official = DATASET_SOURCES.cifar10.files[0]!;
    const source = { ...DATASET_SOURCES.cifar10, files: [{ ...official, url: server.url('/cifar-10-binary.tar.gz') }] };
    await expect(ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source }))
      .rejects.toThrow(/size mismatch, expected 170052171/);
    expect(await readdir(join(cacheDir, 'cifar10'))).toEqual([]);
  });

  it('reports HTTP errors and interrupted transfers as DownloadError, leaving no partial file', async () => {
    const missing = await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: cifarSource({ url: server.url('/nope') }) })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DownloadError);
    expect((missing as DownloadError).retryable).toBe(false);
    const busy = await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: cifarSource({ url: server.url('/unavailable') }) })
      .catch((e: unknown) => e);
    expect((busy as DownloadError).retryable).toBe(true);
    expect(String(busy)).toMatch(/HTTP 503/);
    const cut = await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: cifarSource({ url: server.url('/cut') }) })
      .catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(DownloadError);
    expect((cut as DownloadError).retryable).toBe(true);
    expect(await readdir(join(cacheDir, 'cifar10'))).toEqual([]);
    const refused = await ensureDataset({ name: 'cifar10', cacheDir, fetch: () => Promise.reject(new Error('ECONNREFUSED')), source: cifarSource() })
      .catch((e: unknown) => e);
    expect((refused as DownloadError).retryable).toBe(true);
  });

  it('refuses archive entries that would escape the cache, and skips links', async () => {
    const source: DatasetSource = { files: [{ url: server.url('/evil.tar.gz'), fileName: 'evil.tar.gz', md5: hashBytes(evil, 'md5') }], extract: true, root: 'ok' };
    await expect(ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source })).rejects.toThrow(/"\.\.\/escaped\.txt" would be extracted outside/);
    expect(await exists(join(cacheDir, 'escaped.txt'))).toBe(false);
    expect(await exists(join(cacheDir, 'cifar10', 'ok'))).toBe(false);
    const linkSource: DatasetSource = { files: [{ url: server.url('/links.tar.gz'), fileName: 'links.tar.gz', md5: hashBytes(links, 'md5') }], extract: true, root: 'data' };
    const got = await ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: linkSource });
    expect(await readdir(got.dir)).toEqual(['real.txt']);
  });

  it('fetches plain files without unpacking (Fashion-MNIST layout)', async () => {
    const files = Object.values(FASHION_MNIST_FILES).map((f) => ({ url: server.url(`/fm/${f.file}`), fileName: f.file, md5: '' }));
    for (const f of files) f.md5 = hashBytes(new Uint8Array(await (await fetch(f.url)).arrayBuffer()), 'md5');
    fetched.length = 0;
    const got = await ensureDataset({ name: 'fashion-mnist', cacheDir, fetch: localFetch, source: { files, extract: false, root: '.' } });
    expect(got.downloaded).toHaveLength(4);
    const ds = await loadFashionMnist(got.dir, { verify: false, expectedCounts: { train: 3, test: 1 } });
    expect([...ds.train.labels]).toEqual([1, 2, 3]);
    expect((await ensureDataset({ name: 'fashion-mnist', cacheDir, fetch: localFetch, source: { files, extract: false, root: '.' } })).fromCache).toBe(true);
    expect(fetched).toHaveLength(4);
  });

  it('fetches and unpacks an ImageNette archive that the loader then reads', async () => {
    const tgz = new Uint8Array(await (await fetch(server.url('/imagenette2-160.tgz'))).arrayBuffer());
    const official = DATASET_SOURCES['imagenette-160'];
    const source = { ...official, files: [{ ...official.files[0]!, url: server.url('/imagenette2-160.tgz'), md5: hashBytes(tgz, 'md5') }] };
    const got = await ensureDataset({ name: 'imagenette-160', cacheDir, fetch: localFetch, source });
    expect(got.dir).toBe(join(cacheDir, 'imagenette-160', 'imagenette2-160'));
    const ds = await loadImagenette(got.dir, { size: 8 });
    expect(ds.train.count).toBe(10);
  });

  it('validates names and sources like untrusted input', async () => {
    await expect(ensureDataset({ name: 'mnist' as never, cacheDir, fetch: localFetch })).rejects.toThrow();
    const bad = { files: [{ url: server.url('/x'), fileName: '../x', md5: 'nope' }], extract: false, root: '.' };
    await expect(ensureDataset({ name: 'cifar10', cacheDir, fetch: localFetch, source: bad })).rejects.toThrow();
    expect(fetched).toHaveLength(0);
  });
});
