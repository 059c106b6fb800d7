import { CIFAR_IMAGE_BYTES, CIFAR_SIDE, parseCifarRecords, type CifarRecords } from './cifar-records.ts';
import { parseNameList, readDatasetFiles } from './dataset-files.ts';
import { DatasetFormatError } from './errors.ts';
import { takeFirst, type ImageDataset, type ImageSplit, type SubsetOption } from './image-dataset.ts';

/** Official download of the CIFAR-10 binary version (cs.toronto.edu/~kriz/cifar.html). */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
/** Published MD5 of cifar-10-binary.tar.gz. */
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
/** Size in bytes of cifar-10-binary.tar.gz. */
export const CIFAR10_BYTES = 170_052_171;
/** Folder the CIFAR-10 archive unpacks to. */
export const CIFAR10_DIR = 'cifar-10-batches-bin';

/** Official download of the CIFAR-100 binary version. */
export const CIFAR100_URL = 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz';
/** Published MD5 of cifar-100-binary.tar.gz. */
export const CIFAR100_MD5 = '03b5dce01913d631647c71ecec9e9cb8';
/** Size in bytes of cifar-100-binary.tar.gz. */
export const CIFAR100_BYTES = 168_513_733;
/** Folder the CIFAR-100 archive unpacks to. */
export const CIFAR100_DIR = 'cifar-100-binary';

/** CIFAR-10 class names in label order (also in the archive's batches.meta.txt). */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** CIFAR-100 fine class names in label order (the archive's fine_label_names.txt). */
export const CIFAR100_FINE_CLASSES = (
  'apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle ' +
  'caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant ' +
  'flatfish forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man ' +
  'maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree ' +
  'plain plate poppy porcupine possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper ' +
  'snail snake spider squirrel streetcar sunflower sweet_pepper table tank telephone television tiger tractor train ' +
  'trout tulip turtle wardrobe whale willow_tree wolf woman worm'
).split(' ');

/** CIFAR-100 coarse (superclass) names in label order (coarse_label_names.txt). */
export const CIFAR100_COARSE_CLASSES = (
  'aquatic_mammals fish flowers food_containers fruit_and_vegetables household_electrical_devices ' +
  'household_furniture insects large_carnivores large_man-made_outdoor_things large_natural_outdoor_scenes ' +
  'large_omnivores_and_herbivores medium_mammals non-insect_invertebrates people reptiles small_mammals trees ' +
  'vehicles_1 vehicles_2'
).split(' ');

/** Options shared by the CIFAR loaders. */
export interface CifarOptions {
  /** Keep only the first N images of each split. */
  subset?: SubsetOption;
  /** Image counts the files must hold (official: 50,000 / 10,000); unchecked when omitted. */
  expectedCounts?: { train: number; test: number };
}

/** Options of loadCifar100. */
export interface Cifar100Options extends CifarOptions {
  /** Which label to train on: the 100 fine classes (default) or the 20 superclasses. */
  labels?: 'fine' | 'coarse';
}

const CIFAR10_TRAIN = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
const CIFAR10_TEST = 'test_batch.bin';

function concat(parts: CifarRecords[], pick: (r: CifarRecords) => Uint8Array): ImageSplit {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only) return { images: only.images, labels: pick(only), count: only.count }; // no 150 MB copy
  const count = parts.reduce((n, p) => n + p.count, 0);
  const images = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * CIFAR_IMAGE_BYTES);
    labels.set(pick(p), at);
    at += p.count;
  }
  return { images, labels, count };
}

function checkCount(split: ImageSplit, expected: number | undefined, source: string, which: string): void {
  if (expected !== undefined && split.count !== expected) {
    throw new DatasetFormatError(source, `${which} split holds ${split.count} images, expected ${expected}`);
  }
}

function finish(name: string, classNames: string[], train: ImageSplit, test: ImageSplit, options: CifarOptions, source: string): ImageDataset {
  checkCount(train, options.expectedCounts?.train, source, 'train');
  checkCount(test, options.expectedCounts?.test, source, 'test');
  return {
    name,
    inputShape: [CIFAR_SIDE, CIFAR_SIDE, 3],
    numClasses: classNames.length,
    classNames,
    train: takeFirst(train, CIFAR_IMAGE_BYTES, options.subset?.train),
    test: takeFirst(test, CIFAR_IMAGE_BYTES, options.subset?.test),
  };
}

/**
 * Loads CIFAR-10 in its published binary format from `source`: a directory holding
 * data_batch_1..5.bin and test_batch.bin (directly or in cifar-10-batches-bin/), or the
 * cifar-10-binary.tar.gz archive itself. Images come out 32×32×3 HWC; class names from
 * batches.meta.txt when present. Throws DatasetFormatError naming the bad file.
 */
export async function loadCifar10(source: string, options: CifarOptions = {}): Promise<ImageDataset> {
  const files = await readDatasetFiles(source, CIFAR10_DIR, [...CIFAR10_TRAIN, CIFAR10_TEST], ['batches.meta.txt']);
  const parse = (name: string) => parseCifarRecords(files.get(name) ?? new Uint8Array(), `${source}: ${name}`, 1, 10);
  const train = concat(CIFAR10_TRAIN.map(parse), (r) => r.labels);
  const test = concat([parse(CIFAR10_TEST)], (r) => r.labels);
  const meta = files.get('batches.meta.txt');
  const classNames = meta ? parseNameList(meta, `${source}: batches.meta.txt`, 10) : [...CIFAR10_CLASSES];
  return finish('cifar10', classNames, train, test, options, source);
}

/**
 * Loads CIFAR-100 in its published binary format from `source`: a directory holding
 * train.bin and test.bin (directly or in cifar-100-binary/), or cifar-100-binary.tar.gz.
 * Records carry a coarse and a fine label; `options.labels` picks which one becomes the
 * label (fine by default). Throws DatasetFormatError naming the bad file.
 */
export async function loadCifar100(source: string, options: Cifar100Options = {}): Promise<ImageDataset> {
  const mode = options.labels ?? 'fine';
  const namesFile = mode === 'fine' ? 'fine_label_names.txt' : 'coarse_label_names.txt';
  const files = await readDatasetFiles(source, CIFAR100_DIR, ['train.bin', 'test.bin'], [namesFile]);
  const parse = (name: string) => parseCifarRecords(files.get(name) ?? new Uint8Array(), `${source}: ${name}`, 2, 100, 20);
  const pick = (r: CifarRecords) => (mode === 'fine' ? r.labels : (r.coarseLabels ?? r.labels));
  const train = concat([parse('train.bin')], pick);
  const test = concat([parse('test.bin')], pick);
  const defaults = mode === 'fine' ? CIFAR100_FINE_CLASSES : CIFAR100_COARSE_CLASSES;
  const meta = files.get(namesFile);
  const classNames = meta ? parseNameList(meta, `${source}: ${namesFile}`, defaults.length) : [...defaults];
  return finish(mode === 'fine' ? 'cifar100' : 'cifar100-coarse', classNames, train, test, options, source);
}
