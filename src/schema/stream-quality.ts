import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { roundValue } from '../resolvers/frame.js';
import {
  qualityBuckets,
  type StreamQuality as StreamQualityModel,
} from '../resolvers/insights/stream-quality.js';
import { builder } from './builder.js';

export const QualityBand = builder.enumType('QualityBand', {
  description: 'ITU-T G.109’s categories of the E-model’s R, the lower two merged.',
  values: {
    EXCELLENT: { description: 'Score 90 or more (MOS 4.34 or more): best.' },
    GOOD: { description: 'Score 80 to 90 (MOS 4.03 to 4.34): high.' },
    FAIR: { description: 'Score 60 to 80 (MOS 3.10 to 4.03): some to many users dissatisfied.' },
    POOR: { description: 'Score below 60 (MOS below 3.10): nearly all users dissatisfied.' },
  } as const,
});

interface QualitySeriesModel {
  readonly times: readonly number[];
  readonly scores: readonly number[];
  readonly mos: readonly number[];
}

const QualitySeries = builder.objectRef<QualitySeriesModel>('QualitySeries').implement({
  description:
    'Quality per epoch-aligned bucket, as columns of equal length; buckets without a rated sample left out.',
  fields: (t) => ({
    times: t.floatList({ description: 'Bucket starts, unix ms.', resolve: (s) => s.times }),
    scores: t.floatList({ description: 'The bucket’s score, 0 to 100.', resolve: (s) => s.scores }),
    mos: t.floatList({ description: 'The bucket’s MOS, 1 to 4.5.', resolve: (s) => s.mos }),
  }),
});

const round = (value: number | null) => (value === null ? null : roundValue(value));

export const StreamQuality = builder.objectRef<StreamQualityModel>('StreamQuality').implement({
  description:
    'How a listener would rate the stream, by the simplified ITU-T G.107 E-model: R = 94.768 - delay effect - ' +
    '2.5 x loss %, the delay effect from rtt + 2 x jitter + 10 ms (L / 40 below 160 ms, (L - 120) / 10 from ' +
    'there), MOS = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R); averaged over the samples where RTT, jitter and loss ' +
    'are all known.',
  fields: (t) => ({
    score: t.float({
      nullable: true,
      description:
        'The mean R over the range, 0 to 100; null when the stream cannot be rated (see `missingRoles`).',
      resolve: (q) => round(q.score),
    }),
    mos: t.float({
      nullable: true,
      description: 'The MOS of that score, 1 to 4.5.',
      resolve: (q) => round(q.mos),
    }),
    band: t.field({
      type: QualityBand,
      nullable: true,
      description: 'The score’s band.',
      resolve: (q) => q.band,
    }),
    missingRoles: t.stringList({
      description: 'The roles (RTT, JITTER, PACKET_LOSS) the stream lacks for a rating; empty when rated.',
      resolve: (q) => q.missing,
    }),
    buckets: t.field({
      type: QualitySeries,
      description: 'The same per bucket, for a chart.',
      args: { step: t.arg.int({ defaultValue: 60, description: 'Bucket length in seconds, 1 to 86400.' }) },
      resolve: (q, args, context) => {
        if (!Number.isInteger(args.step) || args.step < 1 || args.step > 86_400) {
          throw new InvalidArgumentError('step', '`step` must be a whole number of seconds from 1 to 86400');
        }
        const buckets = qualityBuckets(q, args.step * 1000);
        context.output.spend(buckets.times.length * 3);
        return {
          times: buckets.times,
          scores: buckets.scores.map(roundValue),
          mos: buckets.mos.map(roundValue),
        };
      },
    }),
  }),
});
