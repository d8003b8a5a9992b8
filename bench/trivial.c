/* The cheapest program there is: what exec and exit cost by themselves. */
int main(void)
{
	return 0;
}
