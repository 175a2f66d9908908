const earnSources = ['volunteering', 'grid_report', 'safety_streak', 'safety_challenge', 'award'] as const;
type EarnSource = (typeof earnSources)[number];
const isEarnSource = (value: string): value is EarnSource => (earnSources as readonly string[]).includes(value);

/** What a statement line is, whatever words an area gives it. */
export type EntryKind =
  | `earn.${EarnSource}`
  | 'earn'
  | 'adjust'
  | 'reversal'
  | 'expire'
  | 'hold'
  | 'holdUsed'
  | 'spent'
  | 'released'
  | 'holdExpired';

interface Line {
  code: string;
  type: string;
  pending?: unknown;
}

/** The kind of a statement line from its ledger code; undefined for a code not known here. */
export function entryKind(line: Line): EntryKind | undefined {
  if (line.code.startsWith('earn.')) {
    const source = line.code.slice('earn.'.length);
    return isEarnSource(source) ? `earn.${source}` : 'earn';
  }
  switch (line.code) {
    case 'award':
      return 'earn.award';
    case 'adjust':
    case 'reversal':
    case 'expire':
      return line.code;
    case 'redeem':
      if (line.type === 'pending') return 'hold';
      return line.pending ? 'holdUsed' : 'spent';
    case 'void':
      return 'released';
    case 'hold_expired':
      return 'holdExpired';
    default:
      return undefined;
  }
}

/** A statement line in words: `words` names each kind; an unknown code shows as itself. */
export function entryWordsWith(words: (kind: EntryKind) => string): (line: Line) => string {
  return (line) => {
    const kind = entryKind(line);
    return kind ? words(kind) : line.code;
  };
}
