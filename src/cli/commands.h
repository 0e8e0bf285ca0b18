// The edgesql command's subcommands (main.cc dispatches on the first argument).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

namespace edgesql::cli {

int RunServer(int argc, char** argv);  // edgesql server ...
int RunUp(int argc, char** argv);      // edgesql up ...
int RunStatus(int argc, char** argv);  // edgesql status ...
int RunProbe(int argc, char** argv);   // edgesql probe ...

// Parses "--name VALUE", "--name=VALUE" (for names in `with_value`) and "--switch" (names in
// `switches`) into name -> value ("" for switches). Prints the problem and `usage` to stderr and
// returns nullopt on an unknown option or a missing value.
std::optional<std::map<std::string, std::string>> ParseOptions(
    int argc, char** argv, const std::set<std::string>& with_value,
    const std::set<std::string>& switches, const char* usage);

// A non-negative integer option; prints the problem and returns nullopt when it is not one.
std::optional<long> IntOption(const std::map<std::string, std::string>& options,
                              const std::string& name, long fallback);

}  // namespace edgesql::cli
