// Plain constants of the protocol, free of zod so the widget can import them without the schemas.

export const NAMESPACES = { operator: '/operator', visitor: '/visitor' } as const;

/** Header a visitor's REST calls carry their token in. */
export const VISITOR_TOKEN_HEADER = 'x-visitor-token';
