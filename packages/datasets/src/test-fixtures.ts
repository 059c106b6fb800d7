// Helpers that build small files in the real published formats for the tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import jpeg from 'jpeg-js';
import { encodeCifarRecords, CIFAR_IMAGE_BYTES } from './cifar-records.ts';
import { IMAGENETTE_WNIDS } from './imagenette.ts';

/** A fresh temporary folder and a function that removes it. */
export async function tempDir(prefix = 'nasfleet-datasets-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** One tar entry: a file with content, or a directory / symlink. */
export interface TarEntry {
  name: string;
  content?: Uint8Array | string;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

/** A .tar (gzip-compressed unless `gzip` is false) holding `entries`, built with tar-stream. */
export async function makeTar(entries: TarEntry[], gzip = true): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') pack.entry({ name: e.name }, Buffer.from(e.content ?? ''));
    else if (type === 'directory') pack.entry({ name: e.name, type: 'directory' });
    else pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname ?? 'x' });
  }
  pack.finalize();
  await done;
  const raw = Buffer.concat(chunks);
  return gzip ? gzipSync(raw) : raw;
}

/**
 * `count` CIFAR images whose pixels are a known function of (image, pixel, channel), so a
 * test can check any byte after the CHW→HWC conversion.
 */
export function cifarPixel(image: number, pixel: number, channel: number): number {
  return (image * 31 + pixel * 7 + channel * 85) % 256;
}

/** Encodes `count` images with cifarPixel values; labels from `label(i)`. */
export function makeCifarBatch(count: number, firstImage: number, label: (i: number) => number, coarse?: (i: number) => number): Uint8Array {
  const images = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) images[i * CIFAR_IMAGE_BYTES + p * 3 + c] = cifarPixel(firstImage + i, p, c);
  }
  const labels = Uint8Array.from({ length: count }, (_, i) => label(firstImage + i));
  const coarseLabels = coarse ? Uint8Array.from({ length: count }, (_, i) => coarse(firstImage + i)) : undefined;
  return encodeCifarRecords(images, labels, coarseLabels);
}

/** The files of a miniature CIFAR-10 (3 images per batch), as the archive lays them out. */
export function miniCifar10Entries(perBatch = 3): TarEntry[] {
  const entries: TarEntry[] = [{ name: 'cifar-10-batches-bin/', type: 'directory' }];
  for (let b = 0; b < 5; b++) {
    entries.push({ name: `cifar-10-batches-bin/data_batch_${b + 1}.bin`, content: makeCifarBatch(perBatch, b * perBatch, (i) => i % 10) });
  }
  entries.push({ name: 'cifar-10-batches-bin/test_batch.bin', content: makeCifarBatch(perBatch, 1000, (i) => (i * 3) % 10) });
  entries.push({ name: 'cifar-10-batches-bin/batches.meta.txt', content: 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n' });
  return entries;
}

/** A local HTTP server on 127.0.0.1 serving fixed bodies by path; counts requests. */
export async function serveFiles(files: Record<string, Uint8Array | ((res: import('node:http').ServerResponse) => void)>): Promise<{
  url: (path: string) => string; requests: string[]; close: () => Promise<void>; server: Server;
}> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404).end('not found');
    } else if (typeof body === 'function') {
      body(res);
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A distinct RGB colour for each ImageNette class index. */
export function classColour(label: number): [number, number, number] {
  return [label * 25, 255 - label * 25, (label * 80) % 256];
}

/** A solid-colour JPEG of the given size (encoded with jpeg-js at high quality). */
export function solidJpeg(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  return jpeg.encode({ width, height, data }, 95).data;
}

/**
 * The ImageNette folder tree (`imagenette2-160/{train,val}/<wnid>/*.JPEG`) with
 * `perClass.train` / `perClass.val` solid images per class, as tar entries.
 */
export function miniImagenetteEntries(perClass = { train: 2, val: 1 }): TarEntry[] {
  const entries: TarEntry[] = [];
  for (const [split, n] of [['train', perClass.train], ['val', perClass.val]] as const) {
    IMAGENETTE_WNIDS.forEach((wnid, label) => {
      for (let i = 0; i < n; i++) {
        const [w, h] = i % 2 === 0 ? [48, 32] : [30, 44];
        entries.push({ name: `imagenette2-160/${split}/${wnid}/${wnid}_${i}.JPEG`, content: solidJpeg(w, h, classColour(label)) });
      }
    });
  }
  return entries;
}
