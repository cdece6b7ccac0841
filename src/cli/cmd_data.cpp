// parcae data prepare: text -> byte-level token files (train + validation tail).
#include <fstream>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/data/corpus.hpp"
#include "parcae/error.hpp"
#include "parcae/util/input_file.hpp"

namespace parcae::cli {
namespace {

// "data/shakespeare.bin" -> "data/shakespeare.val.bin"
std::string default_val_path(const std::string& out) {
  const auto dot = out.rfind(".bin");
  return dot == std::string::npos ? out + ".val" : out.substr(0, dot) + ".val.bin";
}

int run_prepare(int argc, char** argv) {
  po::options_description options("parcae data prepare options");
  options.add_options()
      ("text", po::value<std::string>()->value_name("FILE")->required(), "input text file (UTF-8 or any bytes)")
      ("out", po::value<std::string>()->value_name("OUT")->required(), "training token file to write (FILE.bin)")
      ("val-out", po::value<std::string>()->value_name("OUT"), "validation token file (default FILE.val.bin)")
      ("val-fraction", number(closed_open(0.0, 1.0))->default_value(0.1),
       "share of the text, from its end, kept for validation");
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae data prepare --text FILE --out FILE.bin [--val-fraction F]\n"
                          "Byte-level tokens (vocabulary 256); the last F of the text is validation.",
                          options, {}, vm)) {
    return 0;
  }
  const std::string text_path = vm["text"].as<std::string>();
  const std::string out = vm["out"].as<std::string>();
  const std::string val_out =
      vm.count("val-out") ? vm["val-out"].as<std::string>() : default_val_path(out);
  auto outputs = check_outputs(vm, {"text"}, {{"out"}});
  outputs.output("--val-out", val_out);
  auto in = util::open_input(text_path, "text file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError(text_path + ": read error");
  if (text.str().empty()) throw InputError(text_path + ": empty text file");

  const auto split = data::split_tail(data::encode_bytes(text.str(), text_path),
                                      vm["val-fraction"].as<double>());
  outputs.set("--out", data::token_file_bytes(split.train));
  outputs.set("--val-out", data::token_file_bytes(split.val));
  outputs.commit();
  std::cout << out << ": " << split.train.tokens.size() << " tokens\n"
            << val_out << ": " << split.val.tokens.size() << " tokens\n";
  return 0;
}

}  // namespace

int run_data(int argc, char** argv) {
  const std::string usage =
      "usage: parcae data prepare --text FILE --out FILE.bin   (parcae data prepare --help)";
  if (argc < 2 || std::string(argv[1]) != "prepare") {
    if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
      std::cout << usage << "\n";
      return 0;
    }
    std::cerr << usage << "\n";
    return 2;
  }
  std::string program = "parcae data prepare";
  argv[1] = program.data();
  return run_prepare(argc - 1, argv + 1);
}

}  // namespace parcae::cli
