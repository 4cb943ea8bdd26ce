// The demo's prompts: greet, summarize, translate.

import * as z from 'zod';

/** @param {import('@modelcontextprotocol/server').McpServer} server */
export function registerPrompts(server) {
  server.registerPrompt(
    'greet',
    {
      title: 'Greet',
      description: 'Asks the model to greet someone by name.',
      argsSchema: z.object({ name: z.string().describe('Who to greet') }),
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
        language: z.string().optional().describe('Target language (default: English)'),
      }),
    },
    ({ text, language }) => ({
      messages: [
        { role: 'user', content: { type: 'text', text: `Translate into ${language || 'English'}:\n\n${text}` } },
      ],
    }),
  );
}
