//! The `sociaal` binary: the command line is [`sociaal::cli`].

fn main() {
    std::process::exit(sociaal::cli::main_with(
        std::env::args_os(),
        sociaal::cli::Mode::FULL,
    ));
}
