from assistant.knowledge.cli import main

raise SystemExit(main())
