// Errors -> exit codes (see failure.hpp).
#include "failure.hpp"

#include <boost/program_options/errors.hpp>

#include "parcae/error.hpp"

namespace parcae::cli {

Failure failure_of(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const InputError& e) {
    return {2, e.what()};
  } catch (const boost::program_options::error& e) {
    return {2, std::string(e.what()) + " (see --help)"};
  } catch (const IoError& e) {
    return {1, e.what()};
  } catch (const std::exception& e) {
    return {1, std::string("error: ") + e.what()};
  } catch (...) {
    return {1, "error: unknown exception"};
  }
}

}  // namespace parcae::cli
