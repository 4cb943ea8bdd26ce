// The demo's prompts: greet, summarize, translate. The arguments `greet.name` and
// `translate.language` complete (completion/complete) through the SDK's `completable()`.

import { completable } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { completeLanguage, completeName } from './completions.mjs';
import { GREET_ICONS } from './icons.mjs';

/** @param {import('@modelcontextprotocol/server').McpServer} server */
export function registerPrompts(server) {
  server.registerPrompt(
    'greet',
    {
      title: 'Greet',
      description: 'Asks the model to greet someone by name.',
      icons: GREET_ICONS,
      argsSchema: z.object({ name: completable(z.string().describe('Who to greet'), completeName) }),
    },
    ({ name }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Please greet ${name} warmly.` } }],
    }),
  );

  server.registerPrompt(
    'summarize',
    {
      title: 'Summarize',
      description: 'Asks the model to summarize a text.',
      argsSchema: z.object({
        text: z.string().describe('Text to summarize'),
        style: z.string().optional().describe('How, e.g. "one sentence" or "bullet points"'),
      }),
    },
    ({ text, style }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Please summarize the following text${style ? ` (${style})` : ''}:\n\n${text}` },
        },
      ],
    }),
  );

  server.registerPrompt(
    'translate',
    {
      title: 'Translate',
      description: 'Asks the model to translate a text.',
      argsSchema: z.object({
        text: z.string().describe('Text to translate'),
        // completable() on the inner schema: the SDK unwraps .optional() before looking.
        language: completable(z.string(), completeLanguage).optional().describe('Target language (default: English)'),
      }),
    },
    ({ text, language }) => ({
      messages: [
        { role: 'user', content: { type: 'text', text: `Translate into ${language || 'English'}:\n\n${text}` } },
      ],
    }),
  );
}
