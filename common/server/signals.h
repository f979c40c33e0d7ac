// Termination signals (SIGTERM from Kubernetes, SIGINT from a terminal).
//
// BlockTerminationSignals() must run first in main(), before any thread is
// created, so that every thread inherits the blocked mask and the signal is
// delivered only to WaitForTerminationSignal().
#pragma once

namespace umkm::server {

void BlockTerminationSignals();

// Blocks the calling thread until SIGTERM or SIGINT arrives; returns it.
int WaitForTerminationSignal();

}  // namespace umkm::server
