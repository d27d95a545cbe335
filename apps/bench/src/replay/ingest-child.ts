/**
 * Child-process entry of the ingest row: the measured clients in a fresh process per wire format (a process reads
 * one format, as an application does), so that no client runs on code the JIT shaped for the other format or on the
 * bench's own leftovers, and raw and ours start from the same state. Reports over IPC once.
 */
import { loadOurs } from '../clients/ours.js';
import { measureIngest } from './ingest-measure.js';
import type { IngestReply, IngestRequest } from './ingest-protocol.js';

process.once('message', (request: IngestRequest) => {
  loadOurs()
    .then((ours) => measureIngest(ours, request))
    .then(
      (results): IngestReply => ({ ok: true, results }),
      (error: unknown): IngestReply => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    )
    .then((reply) => process.send?.(reply, () => process.disconnect()));
});
