/* cli: placeholder dispatcher, replaced as commands land. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int kg_cli_main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("kgas %s\n", KGAS_VERSION);
        return 0;
    }
    fprintf(stderr, "kgas: usage: kgas COMMAND\n");
    return 2;
}
