import { builder } from './builder.js';

export const Direction = builder.enumType('Direction', {
  description: 'Which media of a user a stream carries.',
  values: {
    UP: { value: 'up', description: 'Media the user sends.' },
    DOWN: { value: 'down', description: 'Media the user receives, one stream per sending peer.' },
  } as const,
});
