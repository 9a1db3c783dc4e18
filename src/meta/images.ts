import {parseFields} from './list.js';
import {refusal} from './refusal.js';

export interface ImageEntry {
  name: string;
  enable: boolean;
  /** Per-image tag preset (image-publish extension): registries can carry different tag sets. */
  preset?: string;
}

/**
 * Reads the `images` input. A single line of bare names (`a/b,c/d`) is the old metadata-action
 * form; otherwise each line is `name=...,enable=...`. image-publish adds
 * `preset=` (a tag preset for that image only; tag rules hold commas, which this form cannot carry).
 */
export function parseImages(entries: string[]): ImageEntry[] {
  if (entries.length === 1) {
    const fields = parseFields(entries[0], 'images');
    if (fields.every(parts => parts.length === 1)) {
      return fields.map(parts => ({name: parts[0].toLowerCase(), enable: true}));
    }
  }
  const images: ImageEntry[] = [];
  for (const entry of entries) {
    const image: ImageEntry = {name: '', enable: true};
    const refuse = (rule: string): Error => refusal('images', entry, rule);
    for (const parts of parseFields(entry, 'images')) {
      if (parts.length === 1) {
        image.name = parts[0].toLowerCase();
        continue;
      }
      const key = parts[0].toLowerCase();
      const value = parts[1];
      switch (key) {
        case 'name':
          image.name = value.toLowerCase();
          break;
        case 'enable':
          if (value !== 'true' && value !== 'false') {
            throw refuse(`enable=${value} is not true or false`);
          }
          image.enable = value === 'true';
          break;
        case 'preset':
          image.preset = value;
          break;
        default:
          throw refuse(`unknown attribute "${key}"; an image entry takes name=, enable= and preset=`);
      }
    }
    if (image.name.length === 0) {
      throw refuse('the image name is empty; write name=<registry>/<repository> or the bare name');
    }
    images.push(image);
  }
  return images;
}
