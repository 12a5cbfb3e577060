from migrate_async.cli import main

main()
