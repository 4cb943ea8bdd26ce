// Tools for forms, content types and errors: order-form (a rich input schema and structured
// output), sample-content (one block of each content type) and failing-tool (isError).

import * as z from 'zod';
import { ORDER_FORM_ICONS, SAMPLE_CONTENT_ICONS } from './icons.mjs';
import { LOGO_PNG_BASE64, TONE_WAV_BASE64 } from './media.mjs';

const ORDER_PRICES = { small: 5, medium: 8, large: 12 };
const GIFT_WRAP_PRICE = 3;
const EXTRA_ITEM_PRICE = 2;

/** @param {import('@modelcontextprotocol/server').McpServer} server */
export function registerContentTools(server) {
  server.registerTool(
    'order-form',
    {
      title: 'Order form',
      description: 'Places a (pretend) order. Its input schema exercises generated forms.',
      icons: ORDER_FORM_ICONS,
      inputSchema: z.object({
        customer: z.string().min(1).describe('Who the order is for'),
        email: z.email().describe('Where the confirmation goes'),
        quantity: z.number().int().min(1).max(10).default(1).describe('How many'),
        size: z.enum(['small', 'medium', 'large']).default('medium').describe('Size'),
        gift: z.boolean().default(false).describe('Gift-wrap it'),
        deliverOn: z.iso.date().optional().describe('Delivery date'),
        address: z
          .object({ street: z.string().describe('Street'), city: z.string().describe('City') })
          .optional()
          .describe('Postal address'),
        tags: z.array(z.string()).optional().describe('Free-form tags'),
        extras: z
          .array(
            z.object({
              item: z.string().min(1).describe('What to add'),
              count: z.number().int().min(1).max(5).default(1).describe('How many'),
            }),
          )
          .optional()
          .describe('Extra items'),
        delivery: z
          .discriminatedUnion('method', [
            z.object({ method: z.literal('pickup'), store: z.string().describe('Store to pick up from') }),
            z.object({ method: z.literal('shipping'), address: z.string().describe('Shipping address') }),
          ])
          .optional()
          .describe('Pickup or shipping'),
      }),
      outputSchema: z.object({
        customer: z.string(),
        email: z.string(),
        quantity: z.number().int(),
        size: z.enum(['small', 'medium', 'large']),
        gift: z.boolean(),
        extraItems: z.number().int(),
        delivery: z.enum(['pickup', 'shipping', 'unspecified']),
        total: z.number(),
      }),
    },
    async ({ customer, email, quantity, size, gift, deliverOn, address, tags, extras, delivery }) => {
      const extraItems = (extras ?? []).reduce((sum, e) => sum + e.count, 0);
      const total = quantity * ORDER_PRICES[size] + (gift ? GIFT_WRAP_PRICE : 0) + extraItems * EXTRA_ITEM_PRICE;
      const details = [
        gift && 'gift-wrapped',
        extraItems > 0 && `${extraItems} extra item(s): ${(extras ?? []).map((e) => `${e.count} x ${e.item}`).join(', ')}`,
        delivery?.method === 'pickup' && `pickup at ${delivery.store}`,
        delivery?.method === 'shipping' && `shipping to ${delivery.address}`,
        deliverOn && `on ${deliverOn}`,
        address && `billing address ${address.street}, ${address.city}`,
        tags?.length && `tags ${tags.join(', ')}`,
      ].filter(Boolean);
      return {
        content: [
          {
            type: 'text',
            // "Order for NAME: N x SIZE" first: tests look for it.
            text: `Order for ${customer}: ${quantity} x ${size}${details.length ? `, ${details.join('; ')}` : ''}. ` +
              `Total ${total}; confirmation to ${email}.`,
          },
        ],
        structuredContent: {
          customer,
          email,
          quantity,
          size,
          gift,
          extraItems,
          delivery: delivery?.method ?? 'unspecified',
          total,
        },
      };
    },
  );

  server.registerTool(
    'sample-content',
    {
      title: 'Sample content',
      description: 'Returns one content block of each type: text, image, audio, embedded resource, resource link.',
      icons: SAMPLE_CONTENT_ICONS,
    },
    async () => ({
      content: [
        { type: 'text', text: 'Here is one of each content type.' },
        { type: 'image', data: LOGO_PNG_BASE64, mimeType: 'image/png' },
        { type: 'audio', data: TONE_WAV_BASE64, mimeType: 'audio/wav' },
        {
          type: 'resource',
          resource: { uri: 'demo://embedded', mimeType: 'text/plain', text: 'Embedded text resource' },
        },
        {
          type: 'resource_link',
          uri: 'demo://readme',
          name: 'readme',
          title: 'Demo README',
          mimeType: 'text/markdown',
        },
      ],
    }),
  );

  server.registerTool(
    'failing-tool',
    { title: 'Failing tool', description: 'Always fails (a tool error, isError: true).' },
    async () => ({ isError: true, content: [{ type: 'text', text: 'The demo tool failed on purpose.' }] }),
  );
}
