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
  const body = md.render(markdown);
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

function markdownRenderer(timelines: ReadonlyMap<string, string>): MarkdownIt {
  const md = markdownit({ html: false, linkify: false, typographer: false });
  md.disable('image');

  // A line holding only a timeline marker becomes the run's picture.
  md.block.ruler.before('paragraph', 'baton_timeline', (state, startLine, _endLine, silent) => {
    const start = state.bMarks[startLine]! + state.tShift[startLine]!;
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
    const taken = new Map<string, number>();
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
