// Tokens nested by brackets: the shape the translator walks. Parentheses and square brackets
// become groups, so a comma or keyword inside a function call or subquery is never mistaken for
// one at the level being translated.
import { syntaxError } from './errors.js';
import { isOp, isWord, type Token } from './tokens.js';

/** A token or a bracketed group of nodes. */
export type Node = Leaf | Group;

/** One token. */
export interface Leaf {
  kind: 'leaf';
  token: Token;
}

/** `( … )` or `[ … ]` with what is inside. */
export interface Group {
  kind: 'group';
  open: Token;
  close: Token;
  children: Node[];
}

/** Nests significant tokens (without the `end` token) by brackets. */
export function buildTree(tokens: Token[]): Node[] {
  const root: Node[] = [];
  const stack: { group: Group | null; children: Node[] }[] = [{ group: null, children: root }];
  for (const token of tokens) {
    if (token.kind === 'end') break;
    const top = stack[stack.length - 1]!;
    if (isOp(token, '(') || isOp(token, '[')) {
      const group: Group = { kind: 'group', open: token, close: token, children: [] };
      top.children.push(group);
      stack.push({ group, children: group.children });
      continue;
    }
    if (isOp(token, ')') || isOp(token, ']')) {
      const expected = top.group && (top.group.open.text === '(' ? ')' : ']');
      if (!top.group || token.text !== expected) throw syntaxError(token);
      top.group.close = token;
      stack.pop();
      continue;
    }
    top.children.push({ kind: 'leaf', token });
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1]!.group!.open;
    throw syntaxError({ ...open, kind: 'end', text: '' });
  }
  return root;
}

/** The token of a leaf, or undefined for a group. */
export function tokenOf(node: Node | undefined): Token | undefined {
  return node?.kind === 'leaf' ? node.token : undefined;
}

/** The first token of a node (a group's opening bracket). */
export function firstToken(node: Node): Token {
  return node.kind === 'leaf' ? node.token : node.open;
}

/** Whether the node is one of these keywords. */
export function isWordNode(node: Node | undefined, ...words: string[]): boolean {
  return isWord(tokenOf(node), ...words);
}

/** Whether the node is one of these operators. */
export function isOpNode(node: Node | undefined, ...ops: string[]): boolean {
  return isOp(tokenOf(node), ...ops);
}

/** Whether the node is a `( … )` group. */
export function isParen(node: Node | undefined): node is Group {
  return node?.kind === 'group' && node.open.text === '(';
}

/** Whether the node is a `[ … ]` group. */
export function isBracket(node: Node | undefined): node is Group {
  return node?.kind === 'group' && node.open.text === '[';
}

/** Splits nodes on top-level commas. */
export function splitCommas(nodes: Node[]): Node[][] {
  const parts: Node[][] = [[]];
  for (const node of nodes) {
    if (isOpNode(node, ',')) parts.push([]);
    else parts[parts.length - 1]!.push(node);
  }
  return parts.length === 1 && parts[0]!.length === 0 ? [] : parts;
}

/** The source text a run of nodes covers. */
export function sourceOf(sql: string, nodes: Node[]): string {
  if (nodes.length === 0) return '';
  const first = firstToken(nodes[0]!);
  const lastNode = nodes[nodes.length - 1]!;
  const last = lastNode.kind === 'leaf' ? lastNode.token : lastNode.close;
  return sql.slice(first.start, last.start + last.text.length);
}

/** All tokens of nodes, in order, brackets included. */
export function flatten(nodes: Node[]): Token[] {
  const out: Token[] = [];
  const walk = (list: Node[]): void => {
    for (const node of list) {
      if (node.kind === 'leaf') out.push(node.token);
      else {
        out.push(node.open);
        walk(node.children);
        out.push(node.close);
      }
    }
  };
  walk(nodes);
  return out;
}
