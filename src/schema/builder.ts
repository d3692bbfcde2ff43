import SchemaBuilder from '@pothos/core';
import TracingPlugin from '@pothos/plugin-tracing';
import type { GatewayContext } from './context.js';
import { traceResolver } from './traced-resolver.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    /** Unix milliseconds inside the gateway; RFC 3339 on the wire. */
    DateTime: { Input: number; Output: number };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
}>({
  plugins: [TracingPlugin],
  // Only the fields that read call-detail data opt in (`tracing: true`): a span per scalar would cost more than
  // the answer.
  tracing: { default: false, wrap: traceResolver },
  // Non-null by default: a field that can fail on its own (it needs the upstream) opts into nullability.
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
});

builder.queryType({ description: 'Call quality of Volcengine RTC rooms, per user, as time series.' });
builder.subscriptionType({ description: 'Call quality of Volcengine RTC rooms as it arrives.' });
