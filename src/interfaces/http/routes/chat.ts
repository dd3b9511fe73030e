/**
 * @module interfaces/http/routes/chat
 * `/v1/chat` (alias `/v1/chat/completions`): OpenAI-compatible chat completions with the repository's
 * context. The context for the conversation's last user message is retrieved and inserted as a system
 * message, and the request goes to the configured upstream; a stream (`stream: true`) is piped through as
 * the upstream sends it, with the context's version in `x-rtc-context-version`. No upstream: 503 saying how
 * to set one. An upstream that fails or does not answer: 502.
 */
import { HTTP_ERROR_CODES, HttpError } from '../errors.js';
import { CHAT_HOWTO } from '../../../engine/index.js';
import type { JsonSchema } from '../../../engine/index.js';
import type { RouteSpec, RouteRequest } from '../route-table.js';
import { WORKSPACE_PROPERTY } from './shared.js';

const CHAT_BODY: JsonSchema = {
  type: 'object',
  properties: {
    model: { type: 'string', maxLength: 256 },
    messages: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        properties: {
          role: { type: 'string', enum: ['system', 'developer', 'user', 'assistant', 'tool'] },
          content: { type: ['string', 'array', 'null'] },
        },
        required: ['role'],
      },
    },
    stream: { type: 'boolean' },
    rtc: {
      type: 'object',
      description: 'Options of rtc (not forwarded): the folder and the token budget of the context',
      properties: {
        workspace: WORKSPACE_PROPERTY,
        budget: { type: 'integer', minimum: 100, maximum: 200_000 },
      },
      additionalProperties: false,
    },
  },
  required: ['messages'],
};

interface ChatMessage {
  role: string;
  content?: unknown;
}

interface ChatBody {
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  rtc?: { workspace?: string; budget?: number };
  [other: string]: unknown;
}

/** The text of a message's content (a string, or the text parts of an array). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    )
    .filter((text) => text !== '')
    .join('\n');
}

const UPSTREAM_ERROR_CHARS = 2000;

async function chat({ c, state, body, signal }: RouteRequest): Promise<Response> {
  const input = body as ChatBody;
  const live = state.set.get(input.rtc?.workspace || undefined);
  const settings = state.chat(live.root);
  if (!settings) throw new HttpError(503, HTTP_ERROR_CODES.CHAT_UNCONFIGURED, CHAT_HOWTO);
  const question = [...input.messages].reverse().find((m) => m.role === 'user');
  const questionText = question ? contentText(question.content).trim() : '';
  const messages = [...input.messages];
  const headers: Record<string, string> = {};
  if (questionText !== '') {
    const context = await live.context(questionText.slice(0, 8000), {
      budget: input.rtc?.budget ?? settings.budget,
      signal,
    });
    headers['x-rtc-context-version'] = String(context.version ?? live.version);
    headers['x-rtc-context-items'] = String(context.items.length);
    const system: ChatMessage = {
      role: 'system',
      content: `Context from the repository (${live.root}, version ${context.version ?? live.version}), chosen for this conversation by rtc:\n\n${context.text}`,
    };
    const firstOther = messages.findIndex((m) => m.role !== 'system' && m.role !== 'developer');
    messages.splice(firstOther === -1 ? messages.length : firstOther, 0, system);
  }
  const rest: Record<string, unknown> = { ...input };
  delete rest.rtc;
  const model = input.model ?? settings.model;
  const forward = { ...rest, ...(model !== undefined ? { model } : {}), messages };
  const target = `${settings.url}/chat/completions`;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: input.stream ? 'text/event-stream' : 'application/json',
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
      },
      body: JSON.stringify(forward),
      signal,
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new HttpError(
      502,
      HTTP_ERROR_CODES.UPSTREAM_FAILED,
      `The chat upstream ${target} did not answer: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
    );
  }
  if (!upstream.ok) {
    const text = await upstream.text().catch(() => '');
    throw new HttpError(
      502,
      HTTP_ERROR_CODES.UPSTREAM_FAILED,
      `The chat upstream ${target} answered ${upstream.status}: ${text.slice(0, UPSTREAM_ERROR_CHARS)}`,
    );
  }
  if (input.stream) {
    return new Response(upstream.body, {
      status: 200,
      headers: {
        'content-type': upstream.headers.get('content-type') ?? 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        ...headers,
      },
    });
  }
  let answer: unknown;
  try {
    answer = await upstream.json();
  } catch (error) {
    throw new HttpError(
      502,
      HTTP_ERROR_CODES.UPSTREAM_FAILED,
      `The chat upstream ${target} did not answer JSON: ${(error as Error).message}`,
    );
  }
  return c.json(answer as object, 200, headers);
}

export function chatRoutes(): RouteSpec[] {
  const spec = {
    method: 'POST',
    tag: 'chat',
    summary:
      'OpenAI-compatible chat completions with the repository context inserted; forwarded to the configured upstream (streamed with stream: true)',
    body: CHAT_BODY,
    returns: 'The upstream chat completion (JSON), or its Server-Sent Events with stream: true',
    handle: chat,
  } as const;
  return [
    { ...spec, path: '/v1/chat' },
    { ...spec, path: '/v1/chat/completions' },
  ];
}
