/* main: the kgas command line front door. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return kg_cli_main(argc, argv);
}
