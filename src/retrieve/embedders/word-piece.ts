/**
 * @module retrieve/embedders/word-piece
 * The WordPiece tokenizer of BERT-family models (all-MiniLM, bge, e5, gte…), read from a model directory's
 * `tokenizer.json` (Hugging Face tokenizers) or `vocab.txt`: BERT normalisation (clean, lowercase, strip
 * accents, CJK apart), splitting on whitespace and punctuation, greedy longest-match sub-words.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, EngineError } from '../../base/index.js';

export interface WordPieceSettings {
  vocabulary: ReadonlyMap<string, number>;
  lowercase: boolean;
  stripAccents: boolean;
  unknown: string;
  prefix: string;
  maxCharsPerWord: number;
  classify: string;
  separator: string;
  /** The model's maximum sequence length, when the tokenizer says. */
  maxLength?: number;
}

export class WordPieceTokenizer {
  readonly #settings: WordPieceSettings;
  readonly #unknownId: number;
  readonly #classifyId: number;
  readonly #separatorId: number;
  readonly padId: number;

  constructor(settings: WordPieceSettings) {
    this.#settings = settings;
    const id = (token: string): number => {
      const found = settings.vocabulary.get(token);
      if (found === undefined) {
        throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `The tokenizer's vocabulary lacks ${token}`);
      }
      return found;
    };
    this.#unknownId = id(settings.unknown);
    this.#classifyId = id(settings.classify);
    this.#separatorId = id(settings.separator);
    this.padId = settings.vocabulary.get('[PAD]') ?? 0;
  }

  get maxLength(): number | undefined {
    return this.#settings.maxLength;
  }

  /** Token ids of a text: `[CLS] pieces… [SEP]`, at most `maxTokens` in all. */
  encode(text: string, maxTokens: number): number[] {
    const ids = [this.#classifyId];
    const limit = Math.max(2, maxTokens) - 1;
    for (const word of this.words(text)) {
      for (const piece of this.pieces(word)) {
        if (ids.length >= limit) break;
        ids.push(piece);
      }
      if (ids.length >= limit) break;
    }
    ids.push(this.#separatorId);
    return ids;
  }

  /** The words of a text after BERT's normalisation and pre-tokenisation. */
  words(text: string): string[] {
    const settings = this.#settings;
    let normalized = '';
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (code === 0 || code === 0xfffd || isControl(char)) continue;
      if (/\s/u.test(char)) normalized += ' ';
      else if (isCjk(code)) normalized += ` ${char} `;
      else normalized += char;
    }
    if (settings.lowercase) normalized = normalized.toLowerCase();
    if (settings.stripAccents) normalized = normalized.normalize('NFD').replace(/\p{Mn}/gu, '');
    const words: string[] = [];
    for (const chunk of normalized.split(' ')) {
      if (chunk === '') continue;
      let current = '';
      for (const char of chunk) {
        if (isPunctuation(char)) {
          if (current !== '') words.push(current);
          words.push(char);
          current = '';
        } else current += char;
      }
      if (current !== '') words.push(current);
    }
    return words;
  }

  /** Greedy longest-match-first sub-words of one word; `[UNK]` when some part matches nothing. */
  pieces(word: string): number[] {
    const { vocabulary, prefix, maxCharsPerWord } = this.#settings;
    const chars = Array.from(word);
    if (chars.length > maxCharsPerWord) return [this.#unknownId];
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        found = vocabulary.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.#unknownId];
      ids.push(found);
      start = end;
    }
    return ids;
  }
}

interface TokenizerJson {
  model?: {
    type?: string;
    vocab?: Record<string, number>;
    unk_token?: string;
    continuing_subword_prefix?: string;
    max_input_chars_per_word?: number;
  };
  normalizer?: { type?: string; lowercase?: boolean; strip_accents?: boolean | null } | null;
  post_processor?: { special_tokens?: Record<string, { ids?: number[] }> } | null;
  truncation?: { max_length?: number } | null;
}

/** The tokenizer of a model directory: `tokenizer.json` (WordPiece models only) or `vocab.txt`. */
export function loadWordPiece(directory: string): WordPieceTokenizer {
  const jsonPath = join(directory, 'tokenizer.json');
  const vocabPath = join(directory, 'vocab.txt');
  if (existsSync(jsonPath)) {
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as TokenizerJson;
    const model = json.model;
    if (model?.type !== 'WordPiece' || !model.vocab) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${jsonPath}: only WordPiece tokenizers (BERT-family models) are supported, not ${model?.type ?? 'this one'}`,
      );
    }
    const normalizer = json.normalizer;
    const lowercase = normalizer?.type === 'BertNormalizer' ? normalizer.lowercase !== false : false;
    const special = json.post_processor?.special_tokens ?? {};
    const settings: WordPieceSettings = {
      vocabulary: new Map(Object.entries(model.vocab)),
      lowercase,
      stripAccents: normalizer?.type === 'BertNormalizer' ? (normalizer.strip_accents ?? lowercase) : false,
      unknown: model.unk_token ?? '[UNK]',
      prefix: model.continuing_subword_prefix ?? '##',
      maxCharsPerWord: model.max_input_chars_per_word ?? 100,
      classify: Object.keys(special).find((token) => /cls|<s>/i.test(token)) ?? '[CLS]',
      separator: Object.keys(special).find((token) => /sep|<\/s>/i.test(token)) ?? '[SEP]',
    };
    if (json.truncation?.max_length) settings.maxLength = json.truncation.max_length;
    return new WordPieceTokenizer(settings);
  }
  if (existsSync(vocabPath)) {
    const vocabulary = new Map<string, number>();
    readFileSync(vocabPath, 'utf8')
      .split(/\r?\n/)
      .forEach((token, id) => {
        if (token !== '' && !vocabulary.has(token)) vocabulary.set(token, id);
      });
    let lowercase = true;
    const configPath = join(directory, 'tokenizer_config.json');
    if (existsSync(configPath)) {
      const config = JSON.parse(readFileSync(configPath, 'utf8')) as { do_lower_case?: boolean };
      lowercase = config.do_lower_case ?? true;
    }
    return new WordPieceTokenizer({
      vocabulary,
      lowercase,
      stripAccents: lowercase,
      unknown: '[UNK]',
      prefix: '##',
      maxCharsPerWord: 100,
      classify: '[CLS]',
      separator: '[SEP]',
    });
  }
  throw new EngineError(
    ERROR_CODES.NOT_FOUND,
    `No tokenizer in ${directory}: the ONNX embedder needs tokenizer.json or vocab.txt beside model.onnx`,
  );
}

function isControl(char: string): boolean {
  return char !== '\t' && char !== '\n' && char !== '\r' && /\p{Cc}|\p{Cf}/u.test(char);
}

function isPunctuation(char: string): boolean {
  const code = char.codePointAt(0)!;
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96)) return true;
  if (code >= 123 && code <= 126) return true;
  return /\p{P}/u.test(char);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}
