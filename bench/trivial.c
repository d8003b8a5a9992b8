/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cheapest program there is: what exec and exit cost by themselves. */
int main(void)
{
	return 0;
}
