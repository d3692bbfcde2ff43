/**
 * The bytes of an archived slot: the one place that says which slot encoding the archive stores, so a change
 * of encoding (a more compact codec) is one import here. The encoding carries its own version byte, and a row
 * this build cannot decode is a miss, never a wrong answer.
 */
export {
  decodeSlotEntryBinary as decodeArchivedSlot,
  encodeSlotEntryBinary as encodeArchivedSlot,
} from '../redis/slot-codec.js';
