// The `provenance` and `sbom` inputs, checked in the plan against what build-push-action passes on
// and BuildKit reads (frontend/attestations/parse.go splits the value into `key=value` fields; the
// provenance processor reads mode, builder-id, version, inline-only, reproducible, filename; the SBOM
// one reads generator; both honour disabled). BuildKit keeps a field it does not know and ignores it
// (`mode=maximum` and `max` both give a min-mode provenance without a word), so a typo is refused
// here, before any login, naming the input, the field and the rule.
import {parseReference} from '../registry/reference.js';

/** Go's strconv.ParseBool spellings, which buildx and BuildKit accept for boolean attributes. */
const GO_BOOL = new Set(['1', 't', 'T', 'true', 'TRUE', 'True', '0', 'f', 'F', 'false', 'FALSE', 'False']);

type FieldRule = (value: string) => string | undefined;

const bool: FieldRule = v => (GO_BOOL.has(v) ? undefined : 'must be true or false');
const nonEmpty: FieldRule = v => (v.trim() === '' ? 'is empty' : undefined);

const PROVENANCE: Record<string, FieldRule> = {
  mode: v => (v === 'min' || v === 'max' ? undefined : 'must be min or max'),
  'builder-id': v => nonEmpty(v) ?? (/\s/.test(v) ? 'holds a space' : undefined),
  version: v => (v === 'v0.2' || v === 'v1' ? undefined : 'must be v0.2 or v1 (the SLSA provenance schema)'),
  'inline-only': bool,
  reproducible: bool,
  disabled: bool,
  filename: nonEmpty
};

const SBOM: Record<string, FieldRule> = {
  generator: v => {
    try {
      parseReference(v);
      return undefined;
    } catch (err: unknown) {
      return `is not an image reference (${(err as Error).message.replace(/^Invalid image reference "[^"]*": /, '')})`;
    }
  },
  disabled: bool
};

const short = (s: string): string => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** Throws `Input "<name>": …` for a value BuildKit would misread or ignore; '' (the default) passes. */
export function checkAttestInput(name: 'provenance' | 'sbom', value: string): void {
  const v = value.trim();
  if (v === '' || GO_BOOL.has(v)) return;
  const rules = name === 'provenance' ? PROVENANCE : SBOM;
  const known = Object.keys(rules).join(', ');
  const fail = (why: string): never => {
    throw new Error(
      `Input "${name}": ${why}; write true, false or ${name === 'provenance' ? 'mode=max,…' : 'generator=<image>,…'} (attributes: ${known})`
    );
  };
  // BuildKit reads the value as one CSV record; quoting is never needed for these attributes.
  if (/["\n\r]/.test(v)) fail(`"${short(v)}" holds a quote or a line break`);
  const seen = new Set<string>();
  for (const raw of v.split(',')) {
    const field = raw.trim();
    if (field === '') fail(`"${short(v)}" has an empty field`);
    // actions-toolkit turns a bare true/false field into disabled=…
    if (GO_BOOL.has(field)) continue;
    const eq = field.indexOf('=');
    if (eq < 0) fail(`field "${short(field)}" is not key=value`);
    const key = field.slice(0, eq).trim();
    const val = field.slice(eq + 1).trim();
    if (key === 'type') fail(`field "${short(field)}": the type is set by the input's name, leave type= out`);
    const rule = rules[key];
    if (!rule) fail(`unknown attribute "${short(key)}"`);
    if (seen.has(key)) fail(`attribute "${key}" is given twice`);
    seen.add(key);
    const why = rule(val);
    if (why) fail(`attribute ${key} "${short(val)}" ${why}`);
  }
}
