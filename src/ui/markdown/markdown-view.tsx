// Markdown blocks as Ink text: headings bold, code in a gutter, links underlined, emphasis kept.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { markdownBlocks, type Block, type Span } from './markdown-blocks.js';

/** Props of a Markdown view. */
export interface MarkdownViewProps {
  markdown: string;
  width: number;
}

/** Markdown rendered for the terminal. */
export function MarkdownView({ markdown, width }: MarkdownViewProps) {
  const blocks = useMemo(() => markdownBlocks(markdown, width), [markdown, width]);
  return (
    <Box flexDirection="column">
      {blocks.map((block, i) => (
        <BlockView key={i} block={block} spaced={i > 0 && block.kind !== 'code' && block.kind !== 'table' && block.kind !== 'quote' && !block.prefix} />
      ))}
    </Box>
  );
}

function BlockView({ block, spaced }: { block: Block; spaced: boolean }) {
  const margin = spaced && block.kind === 'heading' ? 1 : 0;
  if (block.kind === 'code') {
    return (
      <Box paddingLeft={block.indent}>
        <Text color="cyan">│ </Text>
        <Text color="cyan">{block.spans[0]?.text ?? ''}</Text>
      </Box>
    );
  }
  return (
    <Box paddingLeft={block.indent} marginTop={margin}>
      {block.prefix ? <Text color="cyan">{block.prefix} </Text> : null}
      {block.kind === 'quote' ? <Text dimColor>▌ </Text> : null}
      <Text wrap="wrap" bold={block.kind === 'heading'} underline={block.kind === 'heading' && block.level === 1} dimColor={block.kind === 'rule' || block.kind === 'quote'}>
        {block.spans.map((span, i) => (
          <SpanView key={i} span={span} />
        ))}
      </Text>
    </Box>
  );
}

function SpanView({ span }: { span: Span }) {
  return (
    <Text bold={Boolean(span.bold)} italic={Boolean(span.italic)} strikethrough={Boolean(span.strike)} underline={Boolean(span.link)} {...(span.code ? { color: 'cyan' } : span.link ? { color: 'blue' } : {})}>
      {span.code ? `\`${span.text}\`` : span.text}
    </Text>
  );
}
