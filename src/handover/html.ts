// The handover document as one standalone HTML page: the Markdown rendered by markdown-it with raw
// HTML and images turned off (record text can never become a tag or a fetch), headings anchored the
// way GitHub anchors them, each run's timeline drawn where its marker stands, the style sheet
// embedded, and a Content-Security-Policy that forbids every network fetch.
import markdownit, { type MarkdownIt } from 'markdown-it';
import { headingSlug } from './markdown-text.js';
import { TIMELINE_MARKER } from './runs-section.js';
import { HANDOVER_CSS } from './style.js';
import { xml } from './timeline-svg.js';

/** What the HTML needs besides the Markdown. */
export interface HtmlOptions {
  /** The page title. */
  title: string;
  /** Run id → its timeline SVG, placed at the run's marker. */
  timelines: ReadonlyMap<string, string>;
  /** One line at the foot of the page. */
  footer?: string;
}

/** Nothing may be loaded from anywhere: styles are inline, pictures are inline SVG. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Render the Markdown into a complete HTML page. Pure. */
export function renderHandoverHtml(markdown: string, options: HtmlOptions): string {
  const md = markdownRenderer(options.timelines);
  // Section by section: a long document's tokens then die young instead of all living until the
  // end, which made garbage collection the largest cost of a 100-run document.
  const env: RenderEnv = { taken: new Map() };
  const body = sections(markdown).map((part) => md.render(part, env)).join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="baton handover">',
    `<title>${xml(options.title)}</title>`,
    `<style>${HANDOVER_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    options.footer ? `<footer>${xml(options.footer)}</footer>` : '',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** What the sections of one page share while rendered: the anchors given so far. */
interface RenderEnv {
  taken: Map<string, number>;
}

/** The Markdown cut before each heading (outside fenced blocks): every part renders on its own. */
function sections(markdown: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let fence = '';
  let at = 0;
  while (at < markdown.length) {
    const end = markdown.indexOf('\n', at);
    const next = end < 0 ? markdown.length : end + 1;
    if (markdown.startsWith('```', at)) {
      const opening = /^`+/.exec(markdown.slice(at, next))![0];
      if (!fence) fence = opening;
      else if (opening.length >= fence.length) fence = '';
    } else if (!fence && at > start && markdown.charCodeAt(at) === 0x23 /* # */ && /^#{1,6} /.test(markdown.slice(at, at + 7))) {
      parts.push(markdown.slice(start, at));
      start = at;
    }
    at = next;
  }
  parts.push(markdown.slice(start));
  return parts;
}

function markdownRenderer(timelines: ReadonlyMap<string, string>): MarkdownIt {
  const md = markdownit({ html: false, linkify: false, typographer: false });
  // Only what the document is written with: a large document parses faster without the rest, and
  // images stay off so that no text from a record can ever make the page fetch anything.
  md.disable(['image', 'code', 'hr', 'reference', 'lheading', 'html_block', 'linkify', 'strikethrough', 'autolink', 'html_inline', 'entity', 'replacements', 'smartquotes']);

  // A line holding only a timeline marker becomes the run's picture.
  md.block.ruler.before('paragraph', 'baton_timeline', (state, startLine, _endLine, silent) => {
    const start = state.bMarks[startLine]! + state.tShift[startLine]!;
    if (state.src.charCodeAt(start) !== 0x3c /* < */) return false;
    const line = state.src.slice(start, state.eMarks[startLine]!);
    const match = TIMELINE_MARKER.exec(line);
    if (!match) return false;
    if (!silent) {
      const token = state.push('baton_timeline', '', 0);
      token.meta = { runId: match[1] };
      token.map = [startLine, startLine + 1];
    }
    state.line = startLine + 1;
    return true;
  });
  md.renderer.rules.baton_timeline = (tokens, idx) => {
    const svg = timelines.get((tokens[idx]!.meta as { runId: string }).runId);
    return svg ? `<figure class="timeline">${svg}</figure>\n` : '';
  };

  // Heading anchors computed like GitHub's, so the Markdown's own links work here too.
  md.core.ruler.push('baton_heading_ids', (state) => {
    const taken = (state.env as RenderEnv).taken;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.type !== 'heading_open') continue;
      const inline = tokens[i + 1];
      const text = (inline?.children ?? []).filter((t) => t.type === 'text' || t.type === 'code_inline').map((t) => t.content).join('');
      tokens[i]!.attrSet('id', headingSlug(text, taken));
    }
  });

  // Wide tables scroll on a narrow screen instead of pushing the page sideways.
  md.renderer.rules.table_open = () => '<div class="table"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';

  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const href = String(tokens[idx]!.attrGet('href') ?? '');
    if (/^https?:/i.test(href)) tokens[idx]!.attrSet('rel', 'noreferrer');
    return defaultLink(tokens, idx, options, env, self);
  };
  return md;
}
