// A business's `settings` is free-form JSON that rides on every business read, so it is bounded: at most
// 16 KB as serialized UTF-8 JSON, nested at most 5 levels (API.md, "business settings").
import { isStorableText } from '../../platform/http/inputs.js'

export const SETTINGS_MAX_BYTES = 16 * 1024
export const SETTINGS_MAX_DEPTH = 5

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null

const unstorable = (text: string) => !isStorableText(text)

/**
 * Levels of objects and arrays, the outermost counted (`{ "a": 1 }` is 1, `{ "a": [1] }` is 2), walked
 * level by level and no further than one past `limit`; and whether a key or string on the way is
 * unstorable.
 */
export function inspectJson(value: unknown, limit: number): { depth: number; unstorable: boolean } {
  let depth = 0
  let level = [value].filter(isContainer)
  while (level.length > 0 && depth <= limit) {
    depth++
    const entries = level.flatMap((container) => Object.entries(container))
    if (entries.some(([key, item]) => unstorable(key) || (typeof item === 'string' && unstorable(item))))
      return { depth, unstorable: true }
    level = entries.map(([, item]) => item).filter(isContainer)
  }
  return { depth, unstorable: false }
}

/** What is wrong with these settings: nothing (an empty list), their size, their depth or their text. */
export function settingsProblems(settings: Record<string, unknown>): string[] {
  // Depth first: serializing a document nested thousands deep would overflow the stack.
  const { depth, unstorable } = inspectJson(settings, SETTINGS_MAX_DEPTH)
  if (depth > SETTINGS_MAX_DEPTH) return [`Must be nested at most ${SETTINGS_MAX_DEPTH} levels deep.`]
  if (Buffer.byteLength(JSON.stringify(settings), 'utf8') > SETTINGS_MAX_BYTES)
    return [`Must be at most ${SETTINGS_MAX_BYTES} bytes as JSON.`]
  if (unstorable) return ['Text may not contain NUL characters or lone UTF-16 surrogates.']
  return []
}
