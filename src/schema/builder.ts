import SchemaBuilder from '@pothos/core';
import type { GatewayContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    /** Unix milliseconds inside the gateway; RFC 3339 on the wire. */
    DateTime: { Input: number; Output: number };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
}>({
  // Non-null by default: a field that can fail on its own (it needs the upstream) opts into nullability.
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
});

builder.queryType({ description: 'Call quality of Volcengine RTC rooms, per user, as time series.' });
builder.subscriptionType({ description: 'Call quality of Volcengine RTC rooms as it arrives.' });
