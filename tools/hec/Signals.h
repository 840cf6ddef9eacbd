// SIGINT and SIGTERM during a sweep: the first asks the sweep to stop; the
// run in progress stops within its current op (a training step in flight is
// undone), writes the checkpoint of its last batch boundary and hec exits
// with 128 + the signal's number; a second one exits at once (the last
// checkpoint stays intact: checkpoints are replaced by rename only). SIGXFSZ
// is ignored so that a file-size limit shows as a write error.
#ifndef HEC_TOOLS_SIGNALS_H
#define HEC_TOOLS_SIGNALS_H

namespace hec {
void installStopHandlers();
/// True once SIGINT or SIGTERM arrived (async-signal-safe to poll).
bool stopRequested();
/// The signal that asked to stop, 0 when none did.
int stopSignal();
} // namespace hec

#endif
