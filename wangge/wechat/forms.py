"""What WeChat's and 企业微信's pages are opened with, in the address: the mini-program's
web-view ticket, an authorisation's code and state, and the page to go on to. Each is checked
by what it is for (the ticket and code by WeChat, the state against the session, the page
against this host), so any text reads here."""

from django import forms


class CallbackForm(forms.Form):
    next = forms.CharField(required=False, strip=False)
    ticket = forms.CharField(required=False, strip=False)
    code = forms.CharField(required=False, strip=False)
    state = forms.CharField(required=False, strip=False)
