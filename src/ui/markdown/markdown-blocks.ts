// Runbook instructions (Markdown) as blocks of styled text for the terminal, from markdown-it's
// tokens: headings, paragraphs, lists, emphasis, inline and fenced code, tables, links, quotes.
// Pure, so it is tested without a terminal; the view only maps blocks to Ink elements.
import markdownit, { type Token } from 'markdown-it';
import { tableLines } from '../table-text.js';

/** A run of text with one style. */
export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  code?: boolean;
  link?: boolean;
}

/** One block of the rendered text; the view wraps `spans` to the width. */
export interface Block {
  kind: 'heading' | 'paragraph' | 'code' | 'rule' | 'table' | 'quote';
  spans: Span[];
  /** Columns of indentation (list nesting, quotes). */
  indent: number;
  /** Text before the first line: a bullet, a number, a quote bar. */
  prefix?: string;
  /** Heading level, 1–6. */
  level?: number;
}

const parser = markdownit({ html: false, linkify: true, typographer: false });

/** The blocks of a Markdown text, with tables fitted to `width` columns. */
export function markdownBlocks(markdown: string, width: number): Block[] {
  const tokens = parser.parse(markdown, {});
  const blocks: Block[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let quote = 0;
  let pendingPrefix: string | undefined;
  const indent = () => lists.length * 2 + quote * 2;
  const take = () => {
    const prefix = pendingPrefix;
    pendingPrefix = undefined;
    return prefix;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'heading_open':
        blocks.push({ kind: 'heading', spans: inlineSpans(tokens[i + 1]), indent: indent(), level: Number(token.tag.slice(1)) });
        i += 2;
        break;
      case 'paragraph_open': {
        const prefix = take();
        blocks.push({ kind: quote > 0 ? 'quote' : 'paragraph', spans: inlineSpans(tokens[i + 1]), indent: Math.max(0, indent() - (prefix ? 2 : 0)), ...(prefix ? { prefix } : {}) });
        i += 2;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', n: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const list = lists.at(-1);
        pendingPrefix = list?.ordered ? `${list.n++}.` : '•';
        break;
      }
      case 'blockquote_open':
        quote++;
        break;
      case 'blockquote_close':
        quote--;
        break;
      case 'fence':
      case 'code_block': {
        const lines = token.content.replace(/\n$/, '').split('\n');
        for (const line of lines) blocks.push({ kind: 'code', spans: [{ text: line, code: true }], indent: indent() });
        break;
      }
      case 'hr':
        blocks.push({ kind: 'rule', spans: [{ text: '─'.repeat(Math.max(3, Math.min(width - indent(), 40))) }], indent: indent() });
        break;
      case 'table_open': {
        const end = tokens.findIndex((t, j) => j > i && t.type === 'table_close');
        const { header, rows } = tableCells(tokens.slice(i, end));
        const { lines } = tableLines(header, rows, Math.max(10, width - indent()));
        lines.forEach((line, n) => blocks.push({ kind: 'table', spans: [{ text: line, bold: n === 0 }], indent: indent() }));
        i = end;
        break;
      }
      case 'html_block':
        blocks.push({ kind: 'paragraph', spans: [{ text: token.content.trim() }], indent: indent() });
        break;
      default:
        break;
    }
  }
  return blocks;
}

/** The spans of an inline token: emphasis, code, links (with their address when it differs). */
function inlineSpans(inline: Token | undefined): Span[] {
  const spans: Span[] = [];
  const style = { bold: 0, italic: 0, strike: 0, link: 0 };
  let href: string | undefined;
  let linkText = '';
  const push = (text: string, extra: Partial<Span> = {}) => {
    if (text === '') return;
    const span: Span = { text, ...extra };
    if (style.bold) span.bold = true;
    if (style.italic) span.italic = true;
    if (style.strike) span.strike = true;
    if (style.link) span.link = true;
    spans.push(span);
    if (style.link) linkText += text;
  };
  for (const child of inline?.children ?? []) {
    switch (child.type) {
      case 'text':
        push(child.content);
        break;
      case 'code_inline':
        push(child.content, { code: true });
        break;
      case 'softbreak':
        push(' ');
        break;
      case 'hardbreak':
        push('\n');
        break;
      case 'strong_open':
        style.bold++;
        break;
      case 'strong_close':
        style.bold--;
        break;
      case 'em_open':
        style.italic++;
        break;
      case 'em_close':
        style.italic--;
        break;
      case 's_open':
        style.strike++;
        break;
      case 's_close':
        style.strike--;
        break;
      case 'link_open':
        style.link++;
        href = String(child.attrGet('href') ?? '') || undefined;
        linkText = '';
        break;
      case 'link_close':
        style.link--;
        if (href && href !== linkText && `mailto:${linkText}` !== href) spans.push({ text: ` <${href}>` });
        href = undefined;
        break;
      case 'image':
        push(`[image: ${child.content || child.attrGet('src') || ''}]`);
        break;
      case 'html_inline':
        push(child.content);
        break;
      default:
        push(child.content);
    }
  }
  return spans;
}

/** Header and body cells of a table's tokens, as plain text. */
function tableCells(tokens: Token[]): { header: string[]; rows: string[][] } {
  const header: string[] = [];
  const rows: string[][] = [];
  let inHead = false;
  let row: string[] | undefined;
  for (const token of tokens) {
    if (token.type === 'thead_open') inHead = true;
    else if (token.type === 'thead_close') inHead = false;
    else if (token.type === 'tr_open') row = [];
    else if (token.type === 'tr_close' && row) {
      if (inHead) header.push(...row);
      else rows.push(row);
      row = undefined;
    } else if (token.type === 'inline' && row) row.push(inlineSpans(token).map((s) => s.text).join(''));
  }
  return { header, rows };
}
