// EDGESQL_CHECK: for conditions that cannot happen unless edgesql itself is wrong. A failed check
// logs where and why and aborts the process; the supervisor restarts the server in milliseconds,
// which is safer than continuing with broken invariants (the reasoning Envoy's RELEASE_ASSERT
// uses). Never use it for anything input can cause: bad input gets a SqlError.
#pragma once

#include <cstdio>
#include <cstdlib>

#define EDGESQL_CHECK(cond)                                                                    \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "edgesql: check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)
