import KubusCtl

await KubusCtlCommand.main()
