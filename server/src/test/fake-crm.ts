// A small CRM for tests: answers customer lookups by e-mail or phone in the card format of
// docs/customer-cards.md, checks its API key, and can be made slow or broken.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomerCardContent } from '@frontline/protocol';

export const CRM_API_KEY = 'crm-secret-key';

export interface FakeCrm {
  url: string;
  /** Lookups received: the query and the Authorization header. */
  requests: { query: URLSearchParams; authorization: string | undefined }[];
  delayMs: number;
  broken: boolean;
  close(): Promise<void>;
}

const CUSTOMERS: { email: string; phone: string; card: CustomerCardContent }[] = [
  {
    email: 'maria.ivanova@example.ru',
    phone: '+79161234567',
    card: {
      title: 'Мария Иванова',
      subtitle: 'Gold tier · customer since 2019',
      url: 'https://crm.example.ru/customers/4711',
      fields: [
        { label: 'Lifetime value', value: '412 000 ₽' },
        { label: 'Open complaints', value: 0 },
      ],
      links: [{ label: 'Open in CRM', url: 'https://crm.example.ru/customers/4711' }],
      lists: [
        {
          title: 'Active bookings',
          items: [
            {
              title: 'SU 1234 Moscow → Antalya',
              subtitle: '12 May, 2 adults',
              url: 'https://crm.example.ru/bookings/B-7781',
              fields: [{ label: 'Booking', value: 'B-7781' }],
            },
            { title: 'Hotel Rixos Premium, 7 nights', subtitle: '12–19 May', fields: [] },
          ],
        },
      ],
    },
  },
];

export async function startFakeCrm(): Promise<FakeCrm> {
  const crm: FakeCrm = {
    url: '',
    requests: [],
    delayMs: 0,
    broken: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://crm.local');
    crm.requests.push({ query: url.searchParams, authorization: request.headers.authorization });
    const answer = (status: number, body: unknown) =>
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }, crm.delayMs);
    if (request.headers.authorization !== `Bearer ${CRM_API_KEY}`) return answer(401, { error: 'bad key' });
    if (crm.broken) return answer(500, { error: 'database down' });
    const email = url.searchParams.get('email');
    const phone = url.searchParams.get('phone');
    const customer = CUSTOMERS.find((c) => (email && c.email === email) || (phone && c.phone === phone));
    return customer ? answer(200, customer.card) : answer(404, { error: 'no such customer' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  crm.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return crm;
}
