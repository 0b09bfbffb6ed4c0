$RC --help
echo "exit $?"
$RC --version | sed 's/[0-9][0-9.]*$/VERSION/'
$RC merge --help | head -3
$RC check --help | head -3
