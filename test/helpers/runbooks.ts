// Runbook files for the app's tests, written as operators write them.

/** A runbook file's text from a title, front matter lines and steps (title → body). */
export function runbookText(title: string, frontMatter: string[], steps: Record<string, string>): string {
  const head = frontMatter.length > 0 ? `---\n${frontMatter.join('\n')}\n---\n` : '';
  const body = Object.entries(steps).map(([name, text]) => `## ${name}\n\n${text.trim()}\n`).join('\n');
  return `${head}# ${title}\n\n${body}`;
}

/** A fenced shell block. */
export function sh(code: string, attrs = ''): string {
  return `\`\`\`bash${attrs ? ` {${attrs}}` : ''}\n${code}\n\`\`\`\n`;
}

/** A baton.yaml with an unprotected sandbox and a protected prod. */
export const ENVIRONMENTS = `default: sandbox
environments:
  sandbox:
    description: the local sandbox
  prod:
    protected: true
    description: production
`;
