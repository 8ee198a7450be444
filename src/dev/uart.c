/* SPDX-License-Identifier: MIT */
/*
 * COM1 as a 16550 that polling drivers can use.  Transmit goes straight to
 * the console; receive reads stdin.  No interrupts, no FIFO timing, no
 * baud rate: the divisor latch only stores what is written.  The modem
 * status register reports carrier (DCD) until stdin reaches end of file,
 * so a guest can tell "no input yet" from "no more input".
 */
#include "dev/uart.h"

#include "kvmrun/abi.h"

#define UART_IIR_NO_INT         0x01
#define UART_IIR_FIFO_ON        0xc0
#define UART_FCR_ENABLE         0x01
#define UART_IER_MASK           0x0f
#define UART_MCR_MASK           0x1f

static uint8_t uart_read(struct uart *u, unsigned reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	int c;

	switch (reg) {
	case UART_RBR:
		if (dlab)
			return u->dll;
		c = console_getc(u->con);
		return c < 0 ? 0 : (uint8_t)c;
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		return UART_IIR_NO_INT | ((u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFO_ON : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT |
		       (console_input_ready(u->con) ? UART_LSR_DR : 0);
	case UART_MSR:
		return UART_MSR_CTS | UART_MSR_DSR |
		       (console_input_closed(u->con) ? 0 : UART_MSR_DCD);
	default:
		return u->scr;
	}
}

static int uart_write(struct uart *u, unsigned reg, uint8_t v)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab) {
			u->dll = v;
			return 0;
		}
		return console_write(u->con, &v, 1);
	case UART_IER:
		if (dlab)
			u->dlm = v;
		else
			u->ier = v & UART_IER_MASK;
		return 0;
	case UART_FCR:
		u->fcr = v;
		return 0;
	case UART_LCR:
		u->lcr = v;
		return 0;
	case UART_MCR:
		u->mcr = v & UART_MCR_MASK;
		return 0;
	case UART_SCR:
		u->scr = v;
		return 0;
	default:        /* LSR and MSR are read-only: writes are dropped */
		return 0;
	}
}

/* The bus splits wider accesses: each call is one byte at one register. */
static int uart_access(void *dev, struct bus_access *acc)
{
	struct uart *u = dev;

	if (acc->write)
		return uart_write(u, (unsigned)acc->offset, acc->data[0]);
	acc->data[0] = uart_read(u, (unsigned)acc->offset);
	return 0;
}

int uart_register(struct bus *pio, struct uart *uart, struct console *con,
		  struct error *err)
{
	*uart = (struct uart){ .con = con };
	return bus_register(pio, KVMRUN_PORT_COM1, KVMRUN_PORT_COM1_LEN, "COM1",
			    uart_access, uart, BUS_BYTE_WIDE, err);
}
