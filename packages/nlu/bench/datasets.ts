// Loaders for the public evaluation sets in the shared data folder (see its README.md). They are
// read at benchmark time and never copied into the repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabelledText {
  text: string;
  label: string;
}

/** Parses RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(content: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (quoted) {
      if (char === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      rows.push([...row, field.replace(/\r$/, '')]);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function readCsv(path: string, textColumn: string, labelColumn: string): LabelledText[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) throw new Error(`${path} is empty`);
  const textAt = header.indexOf(textColumn);
  const labelAt = header.indexOf(labelColumn);
  if (textAt < 0 || labelAt < 0)
    throw new Error(`${path} needs the columns ${textColumn} and ${labelColumn}`);
  return rows
    .filter((row) => row.length > Math.max(textAt, labelAt))
    .map((row) => ({ text: row[textAt] ?? '', label: row[labelAt] ?? '' }));
}

// Line i of seq.in goes with line i of label, so blank lines (BANKING77-OOS has two empty
// utterances) are kept here and dropped only as pairs.
function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
}

/** The seq.in / label pair of files of one BANKING77-OOS split. */
function readSeqSplit(folder: string, label?: string): LabelledText[] {
  const texts = readLines(join(folder, 'seq.in'));
  const labels = label === undefined ? readLines(join(folder, 'label')) : texts.map(() => label);
  if (labels.length !== texts.length)
    throw new Error(`${folder}: ${texts.length} texts but ${labels.length} labels`);
  return texts
    .map((text, i) => ({ text, label: labels[i] ?? '' }))
    .filter((example) => example.text.trim() !== '');
}

export function loadBanking77(dataDir: string): { train: LabelledText[]; test: LabelledText[] } {
  const folder = join(dataDir, 'banking77');
  return {
    train: readCsv(join(folder, 'train.csv'), 'text', 'category'),
    test: readCsv(join(folder, 'test.csv'), 'text', 'category'),
  };
}

export interface Banking77Oos {
  train: LabelledText[];
  valid: LabelledText[];
  test: LabelledText[];
  inDomainOos: { train: LabelledText[]; valid: LabelledText[]; test: LabelledText[] };
  outOfDomainOos: { valid: LabelledText[]; test: LabelledText[] };
}

/** BANKING77-OOS; every out-of-scope utterance gets the label `oosLabel`. */
export function loadBanking77Oos(dataDir: string, oosLabel: string): Banking77Oos {
  const folder = join(dataDir, 'banking77-oos');
  return {
    train: readSeqSplit(join(folder, 'train')),
    valid: readSeqSplit(join(folder, 'valid')),
    test: readSeqSplit(join(folder, 'test')),
    inDomainOos: {
      train: readSeqSplit(join(folder, 'id-oos', 'train'), oosLabel),
      valid: readSeqSplit(join(folder, 'id-oos', 'valid'), oosLabel),
      test: readSeqSplit(join(folder, 'id-oos', 'test'), oosLabel),
    },
    outOfDomainOos: {
      valid: readSeqSplit(join(folder, 'ood-oos', 'valid'), oosLabel),
      test: readSeqSplit(join(folder, 'ood-oos', 'test'), oosLabel),
    },
  };
}

export function loadRuSentiTweet(dataDir: string): { train: LabelledText[]; test: LabelledText[] } {
  const folder = join(dataDir, 'rusentitweet');
  return {
    train: readCsv(join(folder, 'rusentitweet_train.csv'), 'text', 'label'),
    test: readCsv(join(folder, 'rusentitweet_test.csv'), 'text', 'label'),
  };
}
