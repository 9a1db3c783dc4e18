import yaml from 'js-yaml';

/** A setting's address in the document: mapping keys and list indexes. */
export type Path = readonly (string | number)[];

export interface Located {
  value: unknown;
  /** 1-based line of the setting at `path`, or of its nearest ancestor present in the text. */
  lineOf(path: Path): number;
  /**
   * Where the value of the mapping key at `path` is written: [start, end) of its text (anchor, tag
   * and quotes included) and the offset just after the key. undefined when the key is not there; a
   * key without a value (`password:` or `password: # ...`) gives an empty span at the key.
   */
  spanOf(path: Path): Span | undefined;
}

export interface Span {
  keyEnd: number;
  start: number;
  end: number;
}

interface Node {
  start: number;
  end: number;
  result: unknown;
  children: Node[];
}

/**
 * Parses YAML and remembers where every node is, from js-yaml's open/close events: each
 * composed node becomes a tree node spanning [start, end). The parser composes some nodes
 * twice (a scalar or flow collection inside a block is tried as a mapping key first), which
 * shows up as a node whose only child holds the very same value; `unwrap` sees through it.
 * Throws js-yaml's own exception (with its line) on a syntax error.
 */
export function loadLocated(text: string, filename: string): Located {
  const stack: Node[] = [{start: 0, end: text.length, result: undefined, children: []}];
  const value = yaml.load(text, {
    filename,
    listener(event, state) {
      if (event === 'open') {
        const node: Node = {start: state.position, end: state.position, result: undefined, children: []};
        stack[stack.length - 1].children.push(node);
        stack.push(node);
      } else {
        const node = stack.pop() as Node;
        node.end = state.position;
        node.result = state.result;
      }
    }
  });
  const root = stack[0].children[0];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (node: Node): number => lineOfOffset(lineStarts, contentStart(text, node.start));
  const isKey = (node: Node): boolean => /^[ \t]*:/.test(text.slice(node.end, node.end + 200));

  /** The node at `path` as far as it exists in the text, its line, and the key node of the last step. */
  const walk = (path: Path): {node: Node; line: number; key?: Node; found: boolean} => {
    let node = root;
    let line = lineAt(root);
    let key: Node | undefined;
    for (const segment of path) {
      const here = unwrap(node);
      let next: Node | undefined;
      key = undefined;
      if (typeof segment === 'number') {
        if (!Array.isArray(here.result)) return {node, line, found: false};
        next = here.children[segment];
        if (!next) return {node, line, found: false};
        line = lineAt(next);
      } else {
        if (here.result === null || typeof here.result !== 'object' || Array.isArray(here.result))
          return {node, line, found: false};
        const at = here.children.findIndex(c => isKey(c) && String(c.result) === segment);
        if (at < 0) return {node, line, found: false};
        // A key's line, not its value's: a nested mapping's value starts on the next line.
        line = lineAt(here.children[at]);
        key = here.children[at];
        next = here.children[at + 1];
        if (!next || isKey(next)) return {node, line, key, found: false};
      }
      node = next;
    }
    return {node, line, key, found: true};
  };

  return {
    value,
    lineOf(path: Path): number {
      // An empty document has no line of its own; its first line is the honest answer.
      if (!root || root.result === null || root.result === undefined) return 1;
      return walk(path).line;
    },
    spanOf(path: Path): Span | undefined {
      if (!root || path.length === 0) return undefined;
      const {node, key, found} = walk(path);
      if (!key) return undefined;
      if (!found) return {keyEnd: key.end, start: key.end, end: key.end};
      const inner = unwrap(node);
      return {keyEnd: key.end, start: contentStart(text, inner.start), end: inner.end};
    }
  };
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.children.length === 1 && n.children[0].result === n.result) n = n.children[0];
  return n;
}

/** Where a node's text begins: an opening event fires before the separating spaces, newlines and comments. */
function contentStart(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else {
      break;
    }
  }
  return i;
}

function lineOfOffset(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
