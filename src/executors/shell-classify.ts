// How risky a shell action looks, read from its text alone (pure and fast). It errs towards asking:
// a false "write" costs the operator one keypress, a missed "destructive" can cost the night.
import type { Classification } from './types.js';

interface Rule {
  /** Words one of which the text must hold (lower case) for the pattern to have a chance: most
   * actions hold none of them, and a pattern that never runs is never compiled. */
  words: string[];
  level: 'write' | 'destructive';
  pattern: RegExp;
  /** The reason, from the matched text. */
  reason?: (match: RegExpExecArray) => string;
}

// Word boundaries for commands: start of text, a separator (; | & ( newline, `, $( ), or `sudo `.
const CMD = String.raw`(?:^|[;&|(\n\x60]|\$\(|\bsudo\s+|\bxargs\s+(?:-\S+\s+)*|\bexec\s+|\bnohup\s+|\btime\s+)\s*`;

// A SQL object name: `ORDERS`, `RAW.ORDERS`, `"My Table"`.
const IDENT = String.raw`(?:"[^"\n]+"|[\w$]+)(?:\.(?:"[^"\n]+"|[\w$]+))*`;

const RULES: Rule[] = [
  // Files and file systems.
  { words: ['rm'], level: 'destructive', pattern: new RegExp(`${CMD}(rm\\s+(?:-[A-Za-z]*[rR][A-Za-z]*|--recursive)(?:\\s+\\S+)*)`, 'g') },
  { words: ['rm'], level: 'destructive', pattern: new RegExp(`${CMD}(rm\\s+(?:-\\S+\\s+)*(?:/|/\\*|~|\\*|\\$HOME)(?=\\s|$|;))`, 'g') },
  { words: ['truncate', 'shred', 'wipefs', 'mkfs', 'fdisk', 'parted', 'mkswap'], level: 'destructive', pattern: new RegExp(`${CMD}((?:truncate|shred|wipefs|mkfs(?:\\.\\w+)?|fdisk|sfdisk|parted|mkswap)\\b[^\\n;|&]*)`, 'g') },
  { words: ['of='], level: 'destructive', pattern: new RegExp(`${CMD}(dd\\b[^\\n;|&]*\\bof=[^\\n;|&]+)`, 'g') },
  { words: ['/dev/'], level: 'destructive', pattern: /(>\s*\/dev\/(?:sd|nvme|vd|xvd|hd|mapper)\S*)/g },
  { words: ['-delete'], level: 'destructive', pattern: new RegExp(`${CMD}(find\\b[^\\n;|&]*\\s-delete\\b)`, 'g') },
  { words: ['chmod', 'chown', 'chgrp'], level: 'destructive', pattern: new RegExp(`${CMD}((?:chmod|chown|chgrp)\\s+(?:-\\S*\\s+)*-\\S*R\\S*\\s+[^\\n;|&]*)`, 'g') },
  // Processes and services.
  { words: ['kill'], level: 'destructive', pattern: new RegExp(`${CMD}(kill\\s+(?:-s\\s+)?-?(?:9|KILL|SIGKILL)\\b[^\\n;|&]*)`, 'g') },
  { words: ['kill'], level: 'destructive', pattern: new RegExp(`${CMD}((?:killall|pkill)\\b[^\\n;|&]*)`, 'g') },
  { words: ['shutdown', 'reboot', 'halt', 'poweroff'], level: 'destructive', pattern: new RegExp(`${CMD}((?:shutdown|reboot|halt|poweroff)\\b[^\\n;|&]*)`, 'g') },
  { words: ['systemctl'], level: 'destructive', pattern: new RegExp(`${CMD}(systemctl\\s+(?:stop|kill|disable|mask)\\b[^\\n;|&]*)`, 'g') },
  // Tools that destroy what they manage.
  { words: ['git'], level: 'destructive', pattern: new RegExp(`${CMD}(git\\s+(?:push\\s+[^\\n;|&]*(?:--force\\b|-f\\b)|reset\\s+--hard|clean\\s+-\\S*f)[^\\n;|&]*)`, 'g') },
  { words: ['docker'], level: 'destructive', pattern: new RegExp(`${CMD}(docker\\s+(?:rm|rmi|kill|volume\\s+rm|system\\s+prune)\\b[^\\n;|&]*)`, 'g') },
  { words: ['kubectl'], level: 'destructive', pattern: new RegExp(`${CMD}(kubectl\\s+delete\\b[^\\n;|&]*)`, 'g') },
  { words: ['terraform'], level: 'destructive', pattern: new RegExp(`${CMD}(terraform\\s+destroy\\b[^\\n;|&]*)`, 'g') },
  // SQL and scheduler commands passed through a client (snowsql -q "…", heredocs).
  { words: ['drop'], level: 'destructive', pattern: new RegExp(`\\b(DROP\\s+(?:TABLE|VIEW|SCHEMA|DATABASE|WAREHOUSE|STAGE|PIPE|TASK|STREAM|ROLE|USER|INTEGRATION|SEQUENCE|FUNCTION|PROCEDURE)\\b(?:\\s+IF\\s+EXISTS)?\\s+${IDENT})`, 'gi') },
  { words: ['truncate'], level: 'destructive', pattern: new RegExp(`\\b(TRUNCATE\\s+(?:TABLE\\s+)?(?:IF\\s+EXISTS\\s+)?${IDENT})`, 'gi') },
  { words: ['delete'], level: 'destructive', pattern: new RegExp(`\\b(DELETE\\s+FROM\\s+${IDENT})(?![^;]*\\bWHERE\\b)`, 'gi') },
  { words: ['update'], level: 'destructive', pattern: new RegExp(`\\b(UPDATE\\s+${IDENT}\\s+SET\\b)(?![^;]*\\bWHERE\\b)`, 'gi') },
  { words: ['alter'], level: 'destructive', pattern: new RegExp(`\\b(ALTER\\s+(?:WAREHOUSE|TASK|PIPE)\\s+${IDENT}\\s+SUSPEND)\\b`, 'gi') },
  { words: ['sendevent'], level: 'destructive', pattern: /\b(sendevent\b[^\n;|&]*-E\s+(?:KILLJOB|DELETEJOB|DELETEBOX|FORCE_STARTJOB)\b[^\n;|&]*)/gi },
  { words: ['delete_'], level: 'destructive', pattern: /\b(delete_(?:job|box)\s*:\s*\S+)/gi },
  // Writes.
  { words: ['>'], level: 'write', pattern: /(?:^|[^<>=-])\d?>>?(?!&)\s*(?!\/dev\/(?:null|stdout|stderr|tty)\b)([^\s;|&>()]+)/g, reason: (m) => `writes ${m[1]}` },
  { words: ['rm', 'mv', 'cp', 'mkdir', 'touch', 'ln', 'install', 'tee', 'chmod', 'chown', 'chgrp', 'truncate', 'rsync', 'scp', 'sftp', 'unzip', 'tar', 'kill', 'crontab', 'user', 'passwd'], level: 'write', pattern: new RegExp(`${CMD}((?:rm|rmdir|mv|cp|mkdir|touch|ln|install|tee|chmod|chown|chgrp|truncate|rsync|scp|sftp|unzip|tar\\s+-?x\\S*|kill|crontab|useradd|usermod|userdel|passwd)\\b[^\\n;|&]*)`, 'g') },
  { words: ['sed'], level: 'write', pattern: new RegExp(`${CMD}(sed\\s+(?:-\\S+\\s+)*-i\\S*[^\\n;|&]*)`, 'g') },
  { words: ['git'], level: 'write', pattern: new RegExp(`${CMD}(git\\s+(?:commit|push|merge|rebase|checkout|switch|tag|pull|am|apply|stash)\\b[^\\n;|&]*)`, 'g') },
  { words: ['curl'], level: 'write', pattern: new RegExp(`${CMD}(curl\\b[^\\n;|&]*(?:-X\\s*(?:POST|PUT|PATCH|DELETE)|--request\\s+(?:POST|PUT|PATCH|DELETE)|\\s-d\\b|--data\\S*|-F\\b|--form|-T\\b|--upload-file)[^\\n;|&]*)`, 'g') },
  { words: ['wget'], level: 'write', pattern: new RegExp(`${CMD}(wget\\b[^\\n;|&]*--(?:post|method)[^\\n;|&]*)`, 'g') },
  { words: ['systemctl'], level: 'write', pattern: new RegExp(`${CMD}(systemctl\\s+(?:start|restart|reload|enable)\\b[^\\n;|&]*)`, 'g') },
  { words: ['docker'], level: 'write', pattern: new RegExp(`${CMD}(docker\\s+(?:run|start|stop|restart|pull|push|build|compose\\s+(?:up|down))\\b[^\\n;|&]*)`, 'g') },
  { words: ['kubectl'], level: 'write', pattern: new RegExp(`${CMD}(kubectl\\s+(?:apply|create|replace|patch|scale|rollout|set|edit|label|annotate|cordon|drain)\\b[^\\n;|&]*)`, 'g') },
  { words: ['terraform'], level: 'write', pattern: new RegExp(`${CMD}(terraform\\s+(?:apply|import|taint)\\b[^\\n;|&]*)`, 'g') },
  { words: ['apt', 'yum', 'dnf', 'pip', 'npm', 'yarn'], level: 'write', pattern: new RegExp(`${CMD}((?:apt|apt-get|yum|dnf|pip3?|npm|pnpm|yarn)\\s+(?:install|remove|uninstall|upgrade|update|add|ci)\\b[^\\n;|&]*)`, 'g') },
  { words: ['sendevent', 'jil', 'ctm'], level: 'write', pattern: new RegExp(`${CMD}((?:sendevent|jil|ctm\\s+run|ctm\\s+deploy)\\b[^\\n;|&]*)`, 'g') },
  { words: ['insert', 'merge', 'copy', 'create', 'alter', 'grant', 'revoke', 'update', 'delete', 'put', 'remove', 'call', 'execute'], level: 'write', pattern: new RegExp(`\\b((?:INSERT\\s+INTO|MERGE\\s+INTO|COPY\\s+INTO|CREATE\\s+(?:OR\\s+REPLACE\\s+)?\\w+|ALTER\\s+\\w+|GRANT\\s+\\w+|REVOKE\\s+\\w+|UPDATE\\s+${IDENT}\\s+SET|DELETE\\s+FROM|PUT\\s+file:|REMOVE\\s+@|CALL\\s+\\w+|EXECUTE\\s+TASK)\\b[^;\\n"']*)`, 'gi') },
];

/**
 * Classify shell code for the guard: destructive beats write beats read. `everyRule` runs every
 * pattern whatever words the text holds (what the words must never change).
 */
export function classifyShell(code: string, { everyRule = false } = {}): Classification {
  const text = withoutComments(code);
  const lower = text.toLowerCase();
  const destructive: string[] = [];
  const write: string[] = [];
  for (const rule of RULES) {
    if (!everyRule && !rule.words.some((word) => lower.includes(word))) continue;
    rule.pattern.lastIndex = 0;
    for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
      const reason = short(rule.reason ? rule.reason(match) : match[1] ?? match[0]);
      const list = rule.level === 'destructive' ? destructive : write;
      if (!list.includes(reason)) list.push(reason);
      if (match[0].length === 0) rule.pattern.lastIndex++;
    }
  }
  if (destructive.length > 0) return { level: 'destructive', reasons: destructive };
  if (write.length > 0) return { level: 'write', reasons: write };
  return { level: 'read', reasons: [] };
}

/** Drop `#` comments (outside quotes, at a word start) so commented-out commands do not count. */
function withoutComments(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      let quote: string | undefined;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (quote) {
          if (c === '\\' && quote === '"') i++;
          else if (c === quote) quote = undefined;
        } else if (c === '"' || c === "'") {
          quote = c;
        } else if (c === '\\') {
          i++;
        } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
          return line.slice(0, i);
        }
      }
      return line;
    })
    .join('\n');
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 70 ? `${one.slice(0, 67)}…` : one;
}
