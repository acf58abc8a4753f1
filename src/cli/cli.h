/* cli: the command-line front door (kgas COMMAND ...).
 * Parses global options, loads settings, dispatches to a command. */
#ifndef KG_CLI_CLI_H
#define KG_CLI_CLI_H

int kg_cli_main(int argc, char **argv);

#endif
