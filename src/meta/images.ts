import {parseFields} from './list.js';
import {refusal} from './refusal.js';

export interface ImageEntry {
  name: string;
  enable: boolean;
  /** Per-image tag preset (image-publish extension): registries can carry different tag sets. */
  preset?: string;
  /** Per-image tag rules (image-publish extension), replacing the `tags` input for this image. */
  tags?: string[];
  /** Per-image flavor lines, applied after the `flavor` input (the more specific wins). */
  flavor?: string[];
}

/**
 * `tags=` / `flavor=` hold several rules, each with commas of its own: the field is CSV-quoted and
 * its rules are separated by `;` (`name=ghcr.io/a/b,"tags=type=ref,event=branch;type=sha"`). A rule
 * that needs a `;` itself belongs in a preset or the `tags` input.
 */
function ruleList(value: string, key: string, entry: string): string[] {
  const rules = value
    .split(';')
    .map(r => r.trim())
    .filter(Boolean);
  if (rules.length === 0) throw new Error(`Input "images": ${key}= holds no rule in "${entry}"`);
  return rules;
}

/**
 * Reads the `images` input. A single line of bare names (`a/b,c/d`) is the old metadata-action
 * form; otherwise each line is `name=...,enable=...`. image-publish adds
 * `preset=` (a tag preset for that image only), `tags=` and `flavor=` (rules for that image only,
 * `;`-separated inside a quoted field, see ruleList). metadata-action's own forms parse unchanged.
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
        case 'tags':
          image.tags = ruleList(value, key, entry);
          break;
        case 'flavor':
          image.flavor = ruleList(value, key, entry);
          break;
        default:
          throw refuse(`unknown attribute "${key}"; an image entry takes name=, enable=, preset=, tags= and flavor=`);
      }
    }
    if (image.name.length === 0) {
      throw refuse('the image name is empty; write name=<registry>/<repository> or the bare name');
    }
    if (image.preset !== undefined && image.tags !== undefined) {
      throw new Error(
        `Input "images": "${entry}" sets both preset= and tags=; choose one (a preset is a named list of tag rules)`
      );
    }
    images.push(image);
  }
  return images;
}
