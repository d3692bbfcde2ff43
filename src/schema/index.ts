import { builder } from './builder.js';
import './date-time.js';
import './frame.js';
import './participants.js';
import './recording.js';
import './live-call-quality.js';
import './room.js';
import './room-overview.js';
import './user-call-quality.js';

export const schema = builder.toSchema({ sortSchema: true });
