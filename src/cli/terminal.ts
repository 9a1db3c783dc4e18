/*
 * The engine logs through @actions/core, which speaks the runner's workflow-command protocol on
 * stdout (`::group::`, `::warning::`, `::add-mask::`, `::save-state`, stop-commands blocks). Outside
 * a runner those lines would be noise, and `::add-mask::<secret>` would PRINT the secret. The CLI
 * therefore puts a translator in front of stdout: every command line is turned into what a
 * terminal or a GitLab log shows, masks are kept and applied to everything written (stdout and
 * stderr), state is kept in process.env the way the runner would hand it to the post step.
 */

export interface TerminalOptions {
  /** GitLab collapsible sections instead of plain headers. */
  gitlab: boolean;
  /** Where the log goes (stderr with --json, so stdout carries only the JSON). */
  write(text: string): void;
  /** Seconds since 1970, for GitLab section markers; injected by tests. */
  clock?: () => number;
  debug?: boolean;
}

/** core's escapeData / escapeProperty, undone. */
const unescape = (s: string): string =>
  s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%25/g, '%');

const ESC = '\u001b';

export class Translator {
  private masks: string[] = [];
  private partial = '';
  private stopToken: string | undefined;
  private groups: {title: string; name: string; start: number}[] = [];
  private sections = 0;
  readonly state = new Map<string, string>();
  readonly warnings: string[] = [];

  constructor(private readonly opts: TerminalOptions) {}

  private now(): number {
    return this.opts.clock ? this.opts.clock() : Date.now() / 1000;
  }

  addMask(value: string): void {
    if (value === '' || this.masks.includes(value)) return;
    this.masks.push(value);
    this.masks.sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const m of this.masks) out = out.split(m).join('***');
    return out;
  }

  private emit(text: string): void {
    this.opts.write(this.mask(text));
  }

  /** Takes whatever core (or anything else) writes to stdout; whole lines are translated. */
  feed(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  flush(): void {
    if (this.partial !== '') {
      const rest = this.partial;
      this.partial = '';
      this.line(rest);
    }
    while (this.groups.length > 0) this.endGroup();
  }

  startGroup(title: string): void {
    const start = this.now();
    const name = `ip_${++this.sections}_${title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')}`;
    this.groups.push({title, name, start});
    if (this.opts.gitlab) {
      this.emit(`${ESC}[0Ksection_start:${Math.floor(start)}:${name}[collapsed=true]\r${ESC}[0K${title}\n`);
    } else {
      this.emit(`▶ ${title}\n`);
    }
  }

  endGroup(): void {
    const g = this.groups.pop();
    if (!g) return;
    const end = this.now();
    const took = `${(end - g.start).toFixed(1)}s`;
    if (this.opts.gitlab) {
      this.emit(`${ESC}[0Ksection_end:${Math.floor(end)}:${g.name}\r${ESC}[0K`);
      this.emit(`${g.title}: ${took}\n`);
    } else {
      this.emit(`  ${g.title} done in ${took}\n`);
    }
  }

  private line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (this.stopToken !== undefined) {
      if (line === `::${this.stopToken}::`) this.stopToken = undefined;
      else this.emit(`${line}\n`);
      return;
    }
    const m = line.match(/^::([a-z-]+)(?: ([^:]*))?::(.*)$/);
    if (!m) {
      this.emit(`${line}\n`);
      return;
    }
    const [, command, props = '', data] = m;
    const value = unescape(data);
    switch (command) {
      case 'add-mask':
        this.addMask(value);
        return;
      case 'group':
        this.startGroup(value);
        return;
      case 'endgroup':
        this.endGroup();
        return;
      case 'warning':
        this.warnings.push(value);
        this.emit(`warning: ${value}\n`);
        return;
      case 'error':
        this.emit(`error: ${value}\n`);
        return;
      case 'notice':
        this.emit(`notice: ${value}\n`);
        return;
      case 'debug':
        if (this.opts.debug) this.emit(`debug: ${value}\n`);
        return;
      case 'save-state': {
        const name = props.match(/name=([^,]*)/)?.[1];
        if (name) this.state.set(unescape(name), value);
        return;
      }
      case 'stop-commands':
        this.stopToken = value;
        return;
      case 'set-output':
      case 'add-path':
      case 'echo':
        return;
      default:
        this.emit(`${line}\n`);
    }
  }
}

/** Markdown of the summaries → plain text: tables aligned, markup dropped. */
export function markdownToText(md: string): string {
  const out: string[] = [];
  let table: string[][] = [];
  const cell = (s: string): string =>
    s
      .trim()
      .replace(/<br>/g, ', ')
      .replace(/\\\|/g, '|')
      .replace(/&lt;/g, '<')
      .replace(/`/g, '')
      .replace(/\*\*/g, '')
      .replace(/^_(.*)_$/, '$1')
      .trim();
  const flushTable = (): void => {
    if (table.length === 0) return;
    const widths = table[0].map((_, i) => Math.max(...table.map(r => (r[i] ?? '').length)));
    table.forEach((r, n) => {
      out.push(
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd()
      );
      if (n === 0) out.push(widths.map(w => '-'.repeat(w)).join('  '));
    });
    table = [];
  };
  for (const line of md.split('\n')) {
    if (/^\|.*\|$/.test(line)) {
      if (/^\|[-\s|:]+\|$/.test(line)) continue;
      table.push(
        line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map(cell)
      );
      continue;
    }
    flushTable();
    if (line.startsWith('```') || line === '</details>') continue;
    const details = line.match(/^<details><summary>(.*)<\/summary>$/);
    if (details) {
      out.push(`${details[1]}:`);
      continue;
    }
    const heading = line.match(/^#+\s+(.*)$/);
    if (heading) {
      out.push(heading[1], '='.repeat(heading[1].length));
      continue;
    }
    out.push(cell(line));
  }
  flushTable();
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** `IMAGE_PUBLISH_<OUTPUT>=value` lines; GitLab's dotenv report takes one line per variable. */
export function dotenvText(outputs: Record<string, string>): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      // Not IMAGE_PUBLISH_*: GitLab hands dotenv values to later jobs as variables, where an
      // IMAGE_PUBLISH_TAGS would become the next image-publish job's tags input.
      const key = `IMAGE_PUBLISHED_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
      // Multi-line lists (tags, labels) become comma-separated: dotenv values are single-line.
      const one = value.replace(/\r?\n+/g, ',').replace(/^,|,$/g, '');
      return `${key}=${one}\n`;
    })
    .join('');
}
