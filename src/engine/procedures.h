// System procedures: sp_executesql, sp_prepare, sp_execute, sp_prepexec and sp_unprepare, the
// procedures SQL Server drivers call to run parameterized statements ([MS-TDS] 2.2.6.6 lists their
// RPC ids 10-15; "sp_executesql (Transact-SQL)" et al. define their parameters).
//
// The same implementation serves an RPC request and a T-SQL EXEC. A call's statements run in a
// new variable scope holding only its declared parameters, report DONEINPROC per statement, and
// the call ends with RETURNSTATUS, the RETURNVALUE of each OUTPUT parameter (RPC only; T-SQL EXEC
// assigns them back to the caller's variables) and DONEPROC.
//
// Used on the session's thread.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/result_sink.h"
#include "engine/session.h"

namespace edgesql::engine {

struct ProcedureOutcome {
  int32_t return_status = 0;
  bool error = false;      // an error reached the client (DONEPROC's error bit)
  bool cancelled = false;  // ATTENTION arrived
  bool fatal = false;      // the connection must end
  Status fatal_status;     // why, when fatal
};

// Runs the system procedure named `name` (or with RPC id `proc_id` when name is empty) with
// `params`, sending statement results to `sink`. OUTPUT parameters receive their final values in
// params[i].value. RETURNSTATUS/RETURNVALUE/DONEPROC are the caller's to send.
ProcedureOutcome RunSystemProcedure(Session& session, std::string_view name, uint16_t proc_id,
                                    std::vector<ProcedureParam>& params, ResultSink& sink);

}  // namespace edgesql::engine
